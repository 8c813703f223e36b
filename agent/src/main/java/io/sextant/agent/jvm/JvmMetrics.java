package io.sextant.agent.jvm;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.sextant.agent.AgentLog;
import io.sextant.agent.ship.MetricsOut;
import io.sextant.protocol.SeriesKind;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Samples JVM metrics into {@link MetricsOut}. Series (all labels in braces):
 *
 * <table>
 * <tr><th>name</th><th>kind</th><th>unit</th></tr>
 * <tr><td>{@code jvm.gc.count{gc}}</td><td>counter</td><td>1</td></tr>
 * <tr><td>{@code jvm.gc.time{gc}}</td><td>counter</td><td>ms</td></tr>
 * <tr><td>{@code jvm.gc.pause{gc}}</td><td>histogram per interval</td><td>ms</td></tr>
 * <tr><td>{@code jvm.memory.used|committed|max{pool,area=heap|non_heap}}</td><td>gauge</td><td>bytes</td></tr>
 * <tr><td>{@code jvm.memory.area.used|committed{area}}</td><td>gauge</td><td>bytes</td></tr>
 * <tr><td>{@code jvm.memory.allocated}</td><td>counter</td><td>bytes</td></tr>
 * <tr><td>{@code jvm.memory.allocation.rate}</td><td>gauge</td><td>bytes/s</td></tr>
 * <tr><td>{@code jvm.threads.live|daemon|peak|deadlocked}</td><td>gauge</td><td>1</td></tr>
 * <tr><td>{@code jvm.cpu.process|system}</td><td>gauge</td><td>ratio 0..1</td></tr>
 * <tr><td>{@code jvm.cpu.time}</td><td>counter</td><td>ns</td></tr>
 * <tr><td>{@code jvm.classes.loaded}</td><td>gauge</td><td>1</td></tr>
 * <tr><td>{@code jvm.classes.loaded.total|unloaded}</td><td>counter</td><td>1</td></tr>
 * </table>
 *
 * <p>GC pauses come from {@code GarbageCollectionNotificationInfo} notifications, delivered on the
 * JVM's existing notification thread and recorded into one HdrHistogram {@link Recorder} per
 * collector; every other value is read on the sender thread. Deadlock detection is a safepoint
 * operation, so it runs every tenth interval. Safepoint pauses and monitor contention come from JFR
 * when {@code sextant.agent.jfr} allows it ({@link JfrMetrics}, started on the first sample: pause
 * distributions, contention per monitor class), otherwise as totals from counters the JVM keeps
 * anyway ({@link HotspotCounters}).
 */
public final class JvmMetrics
{
    private static final long PAUSE_MAX_MS = 3_600_000L;
    private static final java.lang.invoke.MethodHandle TOTAL_ALLOCATED = totalAllocatedHandle();

    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
    private final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private final Map<String, Recorder> pauseRecorders = new ConcurrentHashMap<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onGc;
    private int[] gcCount;
    private int[] gcTime;
    private int[] gcPause;
    private Histogram[] pauseRecycle;
    private String[] gcNames;
    private int[] poolUsed;
    private int[] poolCommitted;
    private int[] poolMax;
    private int heapUsed;
    private int heapCommitted;
    private int nonHeapUsed;
    private int nonHeapCommitted;
    private int allocated;
    private int allocationRate;
    private int threadsLive;
    private int threadsDaemon;
    private int threadsPeak;
    private int threadsDeadlocked;
    private int cpuProcess;
    private int cpuSystem;
    private int cpuTime;
    private int classesLoaded;
    private int classesTotal;
    private int classesUnloaded;
    private long lastAllocated = -1;
    private long lastSampleNanos;
    private long deadlocked;
    private int tick;
    private final String jfrMode;
    private final long jfrIntervalNanos;
    private final long jfrLockThresholdNanos;
    private JfrMetrics jfr;
    private HotspotCounters hotspot;
    private boolean jfrDecided;

    /**
     * JVM metrics without JFR.
     */
    public JvmMetrics()
    {
        this("off", 0, 0);
    }

    /**
     * @param jfrMode               {@code sextant.agent.jfr}: auto, on or off.
     * @param jfrIntervalNanos      how often to read JFR.
     * @param jfrLockThresholdNanos shortest monitor wait JFR records.
     */
    public JvmMetrics(final String jfrMode, final long jfrIntervalNanos, final long jfrLockThresholdNanos)
    {
        this.jfrMode = jfrMode;
        this.jfrIntervalNanos = jfrIntervalNanos;
        this.jfrLockThresholdNanos = jfrLockThresholdNanos;
    }

    /**
     * Defines every series and subscribes to GC notifications.
     *
     * @param out where series are defined.
     */
    public void start(final MetricsOut out)
    {
        final int n = collectors.size();
        gcCount = new int[n];
        gcTime = new int[n];
        gcPause = new int[n];
        gcNames = new String[n];
        pauseRecycle = new Histogram[n];
        for (int i = 0; i < n; i++)
        {
            final String name = collectors.get(i).getName();
            gcNames[i] = name;
            gcCount[i] = out.define(SeriesKind.COUNTER, "jvm.gc.count", "1", "gc", name);
            gcTime[i] = out.define(SeriesKind.COUNTER, "jvm.gc.time", "ms", "gc", name);
            gcPause[i] = out.define(SeriesKind.HISTOGRAM, "jvm.gc.pause", "ms", "gc", name);
            pauseRecorders.put(name, new Recorder(1, PAUSE_MAX_MS, 2));
            if (collectors.get(i) instanceof NotificationEmitter emitter)
            {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
        final int p = pools.size();
        poolUsed = new int[p];
        poolCommitted = new int[p];
        poolMax = new int[p];
        for (int i = 0; i < p; i++)
        {
            final MemoryPoolMXBean pool = pools.get(i);
            final String area = pool.getType() == MemoryType.HEAP ? "heap" : "non_heap";
            poolUsed[i] = out.define(SeriesKind.GAUGE, "jvm.memory.used", "bytes", "pool", pool.getName(), "area", area);
            poolCommitted[i] = out.define(SeriesKind.GAUGE, "jvm.memory.committed", "bytes", "pool", pool.getName(),
                "area", area);
            poolMax[i] = out.define(SeriesKind.GAUGE, "jvm.memory.max", "bytes", "pool", pool.getName(), "area", area);
        }
        heapUsed = out.define(SeriesKind.GAUGE, "jvm.memory.area.used", "bytes", "area", "heap");
        heapCommitted = out.define(SeriesKind.GAUGE, "jvm.memory.area.committed", "bytes", "area", "heap");
        nonHeapUsed = out.define(SeriesKind.GAUGE, "jvm.memory.area.used", "bytes", "area", "non_heap");
        nonHeapCommitted = out.define(SeriesKind.GAUGE, "jvm.memory.area.committed", "bytes", "area", "non_heap");
        allocated = out.define(SeriesKind.COUNTER, "jvm.memory.allocated", "bytes");
        allocationRate = out.define(SeriesKind.GAUGE, "jvm.memory.allocation.rate", "bytes/s");
        threadsLive = out.define(SeriesKind.GAUGE, "jvm.threads.live", "1");
        threadsDaemon = out.define(SeriesKind.GAUGE, "jvm.threads.daemon", "1");
        threadsPeak = out.define(SeriesKind.GAUGE, "jvm.threads.peak", "1");
        threadsDeadlocked = out.define(SeriesKind.GAUGE, "jvm.threads.deadlocked", "1");
        cpuProcess = out.define(SeriesKind.GAUGE, "jvm.cpu.process", "ratio");
        cpuSystem = out.define(SeriesKind.GAUGE, "jvm.cpu.system", "ratio");
        cpuTime = out.define(SeriesKind.COUNTER, "jvm.cpu.time", "ns");
        classesLoaded = out.define(SeriesKind.GAUGE, "jvm.classes.loaded", "1");
        classesTotal = out.define(SeriesKind.COUNTER, "jvm.classes.loaded.total", "1");
        classesUnloaded = out.define(SeriesKind.COUNTER, "jvm.classes.unloaded", "1");
    }

    private void onGc(final Notification notification, final Object handback)
    {
        try
        {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType()))
            {
                final GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData)notification.getUserData());
                final Recorder recorder = pauseRecorders.get(info.getGcName());
                if (recorder != null)
                {
                    recorder.recordValue(Math.max(0, Math.min(PAUSE_MAX_MS, info.getGcInfo().getDuration())));
                }
            }
        }
        catch (final RuntimeException ex)
        {
            // never disturb the notification thread
        }
    }

    /**
     * Samples every series once.
     *
     * @param out      where samples go.
     * @param nowNanos the sender's clock.
     */
    public void sample(final MetricsOut out, final long nowNanos)
    {
        if (!jfrDecided)
        {
            jfrDecided = true;
            startJfr(out, nowNanos);
            if (jfr == null)
            {
                hotspot = new HotspotCounters();
                hotspot.start(out);
            }
        }
        if (jfr != null)
        {
            jfr.sample(out, nowNanos);
        }
        else if (hotspot != null)
        {
            hotspot.sample(out);
        }
        for (int i = 0; i < gcNames.length; i++)
        {
            final GarbageCollectorMXBean gc = collectors.get(i);
            out.sampleLong(gcCount[i], Math.max(0, gc.getCollectionCount()));
            out.sampleLong(gcTime[i], Math.max(0, gc.getCollectionTime()));
            final Recorder recorder = pauseRecorders.get(gcNames[i]);
            final Histogram interval = recorder.getIntervalHistogram(pauseRecycle[i]);
            pauseRecycle[i] = interval;
            if (interval.getTotalCount() > 0)
            {
                out.histogram(gcPause[i], interval);
            }
        }
        for (int i = 0; i < poolUsed.length; i++)
        {
            final MemoryUsage usage = pools.get(i).getUsage();
            if (usage != null)
            {
                out.sampleLong(poolUsed[i], usage.getUsed());
                out.sampleLong(poolCommitted[i], usage.getCommitted());
                out.sampleLong(poolMax[i], usage.getMax());
            }
        }
        final MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        final MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        out.sampleLong(heapUsed, heap.getUsed());
        out.sampleLong(heapCommitted, heap.getCommitted());
        out.sampleLong(nonHeapUsed, nonHeap.getUsed());
        out.sampleLong(nonHeapCommitted, nonHeap.getCommitted());
        if (threads instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported() &&
            sun.isThreadAllocatedMemoryEnabled())
        {
            final long total = totalAllocated(sun);
            if (total >= 0)
            {
                out.sampleLong(allocated, total);
                if (lastAllocated >= 0 && nowNanos > lastSampleNanos)
                {
                    out.sample(allocationRate, (total - lastAllocated) * 1e9 / (nowNanos - lastSampleNanos));
                }
                lastAllocated = total;
            }
        }
        lastSampleNanos = nowNanos;
        out.sampleLong(threadsLive, threads.getThreadCount());
        out.sampleLong(threadsDaemon, threads.getDaemonThreadCount());
        out.sampleLong(threadsPeak, threads.getPeakThreadCount());
        if (tick++ % 10 == 0)
        {
            final long[] ids = threads.findDeadlockedThreads();
            deadlocked = ids == null ? 0 : ids.length;
        }
        out.sampleLong(threadsDeadlocked, deadlocked);
        if (os instanceof com.sun.management.OperatingSystemMXBean sunOs)
        {
            final double process = sunOs.getProcessCpuLoad();
            if (process >= 0)
            {
                out.sample(cpuProcess, process);
            }
            @SuppressWarnings("deprecation")
            final double system = sunOs.getSystemCpuLoad();
            if (system >= 0)
            {
                out.sample(cpuSystem, system);
            }
            final long time = sunOs.getProcessCpuTime();
            if (time >= 0)
            {
                out.sampleLong(cpuTime, time);
            }
        }
        out.sampleLong(classesLoaded, classes.getLoadedClassCount());
        out.sampleLong(classesTotal, classes.getTotalLoadedClassCount());
        out.sampleLong(classesUnloaded, classes.getUnloadedClassCount());
    }

    private static java.lang.invoke.MethodHandle totalAllocatedHandle()
    {
        try
        {
            return java.lang.invoke.MethodHandles.publicLookup().findVirtual(com.sun.management.ThreadMXBean.class,
                "getTotalThreadAllocatedBytes", java.lang.invoke.MethodType.methodType(long.class));
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            return null;
        }
    }

    /**
     * {@code getTotalThreadAllocatedBytes()} (JDK 14+) through a method handle: javac 25 compiling for
     * release 17 does not see it in its signature data for {@code jdk.management}, though every JDK
     * 17 has it. Falls back to the sum over live threads.
     */
    private static long totalAllocated(final com.sun.management.ThreadMXBean bean)
    {
        if (TOTAL_ALLOCATED != null)
        {
            try
            {
                return (long)TOTAL_ALLOCATED.invoke(bean);
            }
            catch (final Throwable ignored)
            {
                // fall through to the sum
            }
        }
        long sum = 0;
        for (final long bytes : bean.getThreadAllocatedBytes(bean.getAllThreadIds()))
        {
            sum += Math.max(0, bytes);
        }
        return sum;
    }

    private void startJfr(final MetricsOut out, final long nowNanos)
    {
        if ("off".equals(jfrMode) || ModuleLayer.boot().findModule("jdk.jfr").isEmpty())
        {
            return;
        }
        try
        {
            if (JfrMetrics.wanted(jfrMode))
            {
                final JfrMetrics metrics = new JfrMetrics(jfrIntervalNanos, jfrLockThresholdNanos);
                if (metrics.start(out, nowNanos))
                {
                    jfr = metrics;
                }
            }
        }
        catch (final Throwable t)
        {
            AgentLog.error("JFR metrics off", t);
        }
    }

    /**
     * Unsubscribes from GC notifications.
     */
    public void close()
    {
        if (jfr != null)
        {
            jfr.close();
            jfr = null;
        }
        for (final NotificationEmitter emitter : emitters)
        {
            try
            {
                emitter.removeNotificationListener(listener);
            }
            catch (final Exception ex)
            {
                AgentLog.error("could not remove GC listener", ex);
            }
        }
    }
}
