package io.sextant.agent.jvm;

import io.sextant.agent.ship.MetricsOut;
import io.sextant.protocol.SeriesKind;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Safepoint and monitor-contention totals for when JFR is not running (the default: JFR costs two
 * threads and tens of MiB), from counters the JVM keeps anyway:
 *
 * <table>
 * <caption>Series</caption>
 * <tr><th>name</th><th>kind</th><th>unit</th></tr>
 * <tr><td>{@code jvm.safepoint.count}</td><td>counter</td><td>1</td></tr>
 * <tr><td>{@code jvm.safepoint.time}</td><td>counter</td><td>ms</td></tr>
 * <tr><td>{@code jvm.safepoint.sync.time}</td><td>counter</td><td>ms</td></tr>
 * <tr><td>{@code jvm.monitor.blocked.count}</td><td>counter</td><td>1</td></tr>
 * <tr><td>{@code jvm.monitor.blocked.time}</td><td>counter</td><td>ms</td></tr>
 * </table>
 *
 * <p>Safepoints: HotSpot's internal runtime bean ({@code sun.management}, exported to the agent by
 * the sender thread before it builds the JVM metrics); totals only, so per-pause distributions still
 * need {@code jfr=on}. Contention: the thread bean's contention monitoring, summed over threads (each
 * thread's counts are differenced, so threads that end do not make the totals go back). Per-class
 * contention needs JFR.
 * Each part stays off where the JVM does not offer it. Sender thread only.
 */
final class HotspotCounters
{
    private final Object runtime;
    private final Method safepointCount;
    private final Method safepointTime;
    private final Method safepointSyncTime;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final boolean contention;
    private final Map<Long, long[]> perThread = new HashMap<>();
    private long blockedCount;
    private long blockedMillis;
    private long sampleNumber;
    private int countSeries = -1;
    private int timeSeries;
    private int syncSeries;
    private int blockedCountSeries = -1;
    private int blockedTimeSeries;

    HotspotCounters()
    {
        Object bean = null;
        Method count = null;
        Method time = null;
        Method sync = null;
        try
        {
            final Class<?> helper = Class.forName("sun.management.ManagementFactoryHelper");
            bean = helper.getMethod("getHotspotRuntimeMBean").invoke(null);
            final Class<?> type = Class.forName("sun.management.HotspotRuntimeMBean");
            count = type.getMethod("getSafepointCount");
            time = type.getMethod("getTotalSafepointTime");
            sync = type.getMethod("getSafepointSyncTime");
            count.invoke(bean);
        }
        catch (final Throwable t)
        {
            bean = null;
        }
        runtime = bean;
        safepointCount = count;
        safepointTime = time;
        safepointSyncTime = sync;
        boolean enabled = false;
        try
        {
            if (threads.isThreadContentionMonitoringSupported())
            {
                threads.setThreadContentionMonitoringEnabled(true);
                enabled = threads.isThreadContentionMonitoringEnabled();
            }
        }
        catch (final Throwable t)
        {
            enabled = false;
        }
        contention = enabled;
    }

    void start(final MetricsOut out)
    {
        if (runtime != null)
        {
            countSeries = out.define(SeriesKind.COUNTER, "jvm.safepoint.count", "1");
            timeSeries = out.define(SeriesKind.COUNTER, "jvm.safepoint.time", "ms");
            syncSeries = out.define(SeriesKind.COUNTER, "jvm.safepoint.sync.time", "ms");
        }
        if (contention)
        {
            blockedCountSeries = out.define(SeriesKind.COUNTER, "jvm.monitor.blocked.count", "1");
            blockedTimeSeries = out.define(SeriesKind.COUNTER, "jvm.monitor.blocked.time", "ms");
        }
    }

    void sample(final MetricsOut out)
    {
        sampleNumber++;
        if (countSeries >= 0)
        {
            try
            {
                out.sampleLong(countSeries, (Long)safepointCount.invoke(runtime));
                out.sampleLong(timeSeries, (Long)safepointTime.invoke(runtime));
                out.sampleLong(syncSeries, (Long)safepointSyncTime.invoke(runtime));
            }
            catch (final Throwable t)
            {
                countSeries = -1;
            }
        }
        if (blockedCountSeries >= 0)
        {
            final ThreadInfo[] infos = threads.getThreadInfo(threads.getAllThreadIds(), 0);
            for (final ThreadInfo info : infos)
            {
                if (info == null)
                {
                    continue;
                }
                final long[] last = perThread.computeIfAbsent(info.getThreadId(), id -> new long[3]);
                final long count = info.getBlockedCount();
                final long millis = Math.max(0, info.getBlockedTime());
                blockedCount += Math.max(0, count - last[0]);
                blockedMillis += Math.max(0, millis - last[1]);
                last[0] = count;
                last[1] = millis;
                last[2] = sampleNumber;
            }
            for (final Iterator<long[]> it = perThread.values().iterator(); it.hasNext();)
            {
                if (it.next()[2] != sampleNumber)
                {
                    it.remove();
                }
            }
            out.sampleLong(blockedCountSeries, blockedCount);
            out.sampleLong(blockedTimeSeries, blockedMillis);
        }
    }
}
