package io.sextant.agent.jvm;

import io.sextant.agent.AgentLog;
import io.sextant.agent.ship.MetricsOut;
import io.sextant.protocol.SeriesKind;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Safepoint pauses and monitor contention from the JDK Flight Recorder, read by the sender thread
 * itself, so the agent adds no thread of its own for them. Series:
 *
 * <table>
 * <tr><th>name</th><th>kind</th><th>unit</th></tr>
 * <tr><td>{@code jvm.safepoint.pause}</td><td>histogram per read</td><td>us</td></tr>
 * <tr><td>{@code jvm.safepoint.count}</td><td>counter</td><td>1</td></tr>
 * <tr><td>{@code jvm.monitor.contended.count{class}}</td><td>counter</td><td>1</td></tr>
 * <tr><td>{@code jvm.monitor.contended.time{class}}</td><td>counter</td><td>us</td></tr>
 * <tr><td>{@code sextant.agent.jfr.read.time}</td><td>gauge</td><td>ms</td></tr>
 * </table>
 *
 * <p>How: one {@link Recording} on disk with {@code jdk.SafepointBegin}, {@code jdk.SafepointEnd}
 * (every safepoint) and {@code jdk.JavaMonitorEnter} (waits of at least the lock threshold), kept for
 * a little over one read interval. Every interval the sender dumps it to a temporary file and reads
 * the dump with {@link RecordingFile}; a dump repeats what an earlier one held, so safepoints are
 * taken once by their increasing id and monitor waits once by their end time. A pause is a
 * safepoint's begin event start to its end event end. Contention is kept per monitor class; the
 * {@link #TOP} classes with the most time waited get series of their own and the rest are summed
 * under {@code class=other}.
 *
 * <p>Why not {@code RecordingStream}: a stream parses on a thread of its own ("JFR Event Stream"),
 * a third thread on top of the two every JFR recording starts ("JFR Recorder Thread" and
 * "JFR Periodic Tasks"), and the agent's budget is two threads. Those two JFR threads and about
 * 40 MiB of resident memory (measured on JDK 17: 39 MiB before, 81 MiB after starting a recording)
 * come with JFR itself, which is why {@code sextant.agent.jfr=auto}, the default, uses JFR only
 * when the application already runs it (started with {@code -XX:StartFlightRecording}, for
 * example), where they are already paid; {@code on} starts it regardless.
 *
 * <p>Reading a dump allocates and takes milliseconds (hundreds the first time, while the parser's
 * classes load), all on the sender thread, once per {@code jfr-interval}; the time it took is
 * shipped as {@code sextant.agent.jfr.read.time}. Single writer: the sender thread.
 */
public final class JfrMetrics
{
    /** Monitor classes with series of their own. */
    public static final int TOP = 10;
    /** Most monitor classes tracked one by one; later ones count as other. */
    static final int MAX_CLASSES = 1024;
    static final String OTHER = "other";
    private static final long PAUSE_MAX_US = 3_600_000_000L;

    private final long intervalNanos;
    private final long lockThresholdNanos;
    private final Histogram pauses = new Histogram(1, PAUSE_MAX_US, 2);
    private final Map<String, long[]> contention = new HashMap<>();
    private final Map<String, Integer> countSeries = new HashMap<>();
    private final Map<String, Integer> timeSeries = new HashMap<>();
    private final long[] other = new long[2];
    private final Map<Long, Instant> begins = new HashMap<>();
    private Recording recording;
    private Path dump;
    private int pauseSeries;
    private int safepointCountSeries;
    private int readTimeSeries;
    private long safepoints;
    private long lastSafepointId = Long.MIN_VALUE;
    private Instant lastMonitorEnd = Instant.MIN;
    private long nextReadNanos;
    private boolean failed;

    /**
     * @param intervalNanos      how often to read the recording.
     * @param lockThresholdNanos shortest monitor wait recorded.
     */
    public JfrMetrics(final long intervalNanos, final long lockThresholdNanos)
    {
        this.intervalNanos = intervalNanos;
        this.lockThresholdNanos = lockThresholdNanos;
    }

    /**
     * @param mode {@code auto}, {@code on} or {@code off}.
     * @return whether JFR should be used: never when off or when this JVM has no JFR; with auto only
     * when JFR is already running.
     */
    public static boolean wanted(final String mode)
    {
        if ("off".equals(mode) || ModuleLayer.boot().findModule("jdk.jfr").isEmpty())
        {
            return false;
        }
        try
        {
            return "on".equals(mode) || (FlightRecorder.isAvailable() && FlightRecorder.isInitialized() &&
                !FlightRecorder.getFlightRecorder().getRecordings().isEmpty());
        }
        catch (final Throwable t)
        {
            return false;
        }
    }

    /**
     * Starts the recording and defines the fixed series. Sender thread.
     *
     * @param out      where series are defined.
     * @param nowNanos the sender's clock.
     * @return false when JFR could not start (reported once; the agent carries on without it).
     */
    public boolean start(final MetricsOut out, final long nowNanos)
    {
        try
        {
            if (!FlightRecorder.isAvailable())
            {
                AgentLog.info("JFR metrics off: the Flight Recorder is not available in this JVM");
                return false;
            }
            dump = Files.createTempFile("sextant-jfr-", ".jfr");
            final Recording r = new Recording();
            r.setName("sextant-agent");
            r.enable("jdk.SafepointBegin").withoutThreshold();
            r.enable("jdk.SafepointEnd").withoutThreshold();
            r.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ofNanos(lockThresholdNanos)).withoutStackTrace();
            r.setToDisk(true);
            r.setMaxAge(Duration.ofNanos(intervalNanos * 2));
            r.start();
            recording = r;
        }
        catch (final Throwable t)
        {
            AgentLog.error("JFR metrics off: could not start a recording", t);
            close();
            return false;
        }
        pauseSeries = out.define(SeriesKind.HISTOGRAM, "jvm.safepoint.pause", "us");
        safepointCountSeries = out.define(SeriesKind.COUNTER, "jvm.safepoint.count", "1");
        readTimeSeries = out.define(SeriesKind.GAUGE, "sextant.agent.jfr.read.time", "ms");
        nextReadNanos = nowNanos + intervalNanos;
        return true;
    }

    /**
     * Reads the recording when its interval is due. Sender thread.
     *
     * @param out      where samples go.
     * @param nowNanos the sender's clock.
     */
    public void sample(final MetricsOut out, final long nowNanos)
    {
        if (recording == null || failed || nowNanos - nextReadNanos < 0)
        {
            return;
        }
        nextReadNanos = nowNanos + intervalNanos;
        final long started = System.nanoTime();
        try
        {
            recording.dump(dump);
            read(dump);
        }
        catch (final Throwable t)
        {
            failed = true;
            AgentLog.error("JFR metrics off: could not read the recording", t);
            close();
            return;
        }
        out.histogram(pauseSeries, pauses);
        pauses.reset();
        out.sampleLong(safepointCountSeries, safepoints);
        emitContention(out);
        out.sample(readTimeSeries, (System.nanoTime() - started) / 1e6);
    }

    void read(final Path file) throws IOException
    {
        long highestSafepoint = lastSafepointId;
        Instant latestMonitorEnd = lastMonitorEnd;
        try (RecordingFile events = new RecordingFile(file))
        {
            while (events.hasMoreEvents())
            {
                final RecordedEvent event = events.readEvent();
                switch (event.getEventType().getName())
                {
                    case "jdk.SafepointBegin" ->
                    {
                        final long id = event.getLong("safepointId");
                        if (id > lastSafepointId)
                        {
                            begins.put(id, event.getStartTime());
                        }
                    }
                    case "jdk.SafepointEnd" ->
                    {
                        final long id = event.getLong("safepointId");
                        final Instant begin = begins.remove(id);
                        if (id > lastSafepointId && begin != null)
                        {
                            final long us = Duration.between(begin, event.getEndTime()).toNanos() / 1_000;
                            pauses.recordValue(Math.max(0, Math.min(PAUSE_MAX_US, us)));
                            safepoints++;
                            highestSafepoint = Math.max(highestSafepoint, id);
                        }
                    }
                    case "jdk.JavaMonitorEnter" ->
                    {
                        final Instant end = event.getEndTime();
                        if (end.isAfter(lastMonitorEnd))
                        {
                            final RecordedClass type = event.getClass("monitorClass");
                            count(type == null ? OTHER : type.getName(), event.getDuration().toNanos() / 1_000);
                            if (end.isAfter(latestMonitorEnd))
                            {
                                latestMonitorEnd = end;
                            }
                        }
                    }
                    default ->
                    {
                        // not asked for
                    }
                }
            }
        }
        lastSafepointId = highestSafepoint;
        lastMonitorEnd = latestMonitorEnd;
        // a begin whose end was not in this dump stays for the next; anything older than that is stale
        begins.keySet().removeIf(id -> id <= lastSafepointId);
    }

    private void count(final String type, final long micros)
    {
        long[] totals = contention.get(type);
        if (totals == null)
        {
            if (contention.size() >= MAX_CLASSES)
            {
                other[0]++;
                other[1] += micros;
                return;
            }
            totals = new long[2];
            contention.put(type, totals);
        }
        totals[0]++;
        totals[1] += micros;
    }

    private void emitContention(final MetricsOut out)
    {
        if (contention.isEmpty() && other[0] == 0)
        {
            return;
        }
        // the TOP classes by total time waited; everything else is other
        final String[] top = new String[TOP];
        final long[] topTime = new long[TOP];
        for (final Map.Entry<String, long[]> e : contention.entrySet())
        {
            final long time = e.getValue()[1];
            int at = -1;
            for (int i = 0; i < TOP; i++)
            {
                if (top[i] == null || time > topTime[i])
                {
                    at = i;
                    break;
                }
            }
            if (at >= 0)
            {
                System.arraycopy(top, at, top, at + 1, TOP - at - 1);
                System.arraycopy(topTime, at, topTime, at + 1, TOP - at - 1);
                top[at] = e.getKey();
                topTime[at] = time;
            }
        }
        long restCount = other[0];
        long restTime = other[1];
        for (final Map.Entry<String, long[]> e : contention.entrySet())
        {
            boolean inTop = false;
            for (final String name : top)
            {
                inTop |= e.getKey().equals(name);
            }
            if (!inTop)
            {
                restCount += e.getValue()[0];
                restTime += e.getValue()[1];
            }
        }
        for (final String name : top)
        {
            if (name != null)
            {
                final long[] totals = contention.get(name);
                emit(out, name, totals[0], totals[1]);
            }
        }
        if (restCount > 0)
        {
            emit(out, OTHER, restCount, restTime);
        }
    }

    private void emit(final MetricsOut out, final String type, final long count, final long micros)
    {
        Integer countId = countSeries.get(type);
        if (countId == null)
        {
            countId = out.define(SeriesKind.COUNTER, "jvm.monitor.contended.count", "1", "class", type);
            countSeries.put(type, countId);
            timeSeries.put(type, out.define(SeriesKind.COUNTER, "jvm.monitor.contended.time", "us", "class", type));
        }
        out.sampleLong(countId, count);
        out.sampleLong(timeSeries.get(type), micros);
    }

    /**
     * Stops the recording and deletes the dump file.
     */
    public void close()
    {
        if (recording != null)
        {
            try
            {
                recording.close();
            }
            catch (final Throwable t)
            {
                // best effort at shutdown
            }
            recording = null;
        }
        if (dump != null)
        {
            try
            {
                Files.deleteIfExists(dump);
            }
            catch (final IOException ex)
            {
                // best effort
            }
        }
    }
}
