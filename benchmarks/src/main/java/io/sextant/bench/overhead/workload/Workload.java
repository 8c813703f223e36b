package io.sextant.bench.overhead.workload;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.sextant.api.Counter;
import io.sextant.api.Histogram;
import io.sextant.api.Model;
import io.sextant.api.Sextant;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A request loop standing in for a small service: each request parses a payload, scores it with a
 * fixed logistic model over 8 features (CPU), builds a response (allocation), logs one line in 50
 * through java.util.logging, and records a request counter, a latency histogram and an inference,
 * through {@code sextant-api} and through {@code opentelemetry-api} alike, so that whichever agent is
 * attached has the same work to observe (with no agent both APIs are no-ops).
 *
 * <p>Usage: {@code Workload <warm-up ms> <measure ms>}. Prints {@code FIRST_REQUEST <System.nanoTime()>}
 * when the first request is served and {@code STARTUP_CPU <nanoseconds>}, the CPU time its threads had
 * used by then (JIT compiler and GC threads included: a figure the load of a shared machine moves far
 * less than the wall-clock start-up), then, after the warm-up and the measured window, one line
 * {@code RESULT key=value ...} with the window's requests/s, latency percentiles, allocation rate
 * (all threads, the agent's included), resident set size and thread counts, then exits.
 *
 * <p>Single-threaded: the main thread serves requests back to back.
 */
public final class Workload
{
    static final int FEATURES = 8;
    private static final String[] FEATURE_NAMES = {"amount", "age", "items", "tenure", "visits", "basket", "lat", "lon"};
    private static final double[] WEIGHTS = {0.004, -0.02, 0.3, -0.01, 0.05, 0.002, 0.01, -0.01};
    private static final Logger LOG = Logger.getLogger("workload.requests");

    private static final Counter REQUESTS = Sextant.counter("workload.requests", "1");
    private static final Histogram LATENCY = Sextant.histogram("workload.latency", "ns");
    private static final Model MODEL = Sextant.model("workload-fraud", "v1", FEATURE_NAMES, new String[] {"country"});

    private final LongCounter otelRequests;
    private final DoubleHistogram otelLatency;
    private final LongCounter otelInferences;
    private final DoubleHistogram otelInferenceLatency;
    private final Attributes[] otelAttributes = new Attributes[2];
    private final double[] features = new double[FEATURES];
    private final String[] categorical = new String[1];
    private final long[] latencyCounts = new long[LatencyBuckets.SLOTS];
    private long seed = 42;
    private long checksum;

    private Workload()
    {
        final Meter meter = GlobalOpenTelemetry.getMeter("workload");
        otelRequests = meter.counterBuilder("workload.requests").build();
        otelLatency = meter.histogramBuilder("workload.latency").setUnit("ns").build();
        otelInferences = meter.counterBuilder("workload.inferences").build();
        otelInferenceLatency = meter.histogramBuilder("workload.inference.latency").setUnit("ns").build();
        for (int i = 0; i < otelAttributes.length; i++)
        {
            otelAttributes[i] = Attributes.builder()
                .put(AttributeKey.stringKey("model"), "workload-fraud")
                .put(AttributeKey.stringKey("version"), "v1")
                .put(AttributeKey.stringKey("prediction"), i == 0 ? "legit" : "fraud")
                .put(AttributeKey.stringKey("country"), "NZ")
                .put(AttributeKey.stringKey("amount_band"), "100-500")
                .put(AttributeKey.stringKey("age_band"), "30-40")
                .put(AttributeKey.longKey("items"), 3)
                .put(AttributeKey.booleanKey("returning"), true)
                .build();
        }
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length != 2)
        {
            System.err.println("usage: Workload <warm-up ms> <measure ms>");
            System.exit(2);
        }
        final long warmupNanos = Long.parseLong(args[0]) * 1_000_000L;
        final long measureNanos = Long.parseLong(args[1]) * 1_000_000L;
        final Workload workload = new Workload();
        workload.serve();
        System.out.println("FIRST_REQUEST " + System.nanoTime());
        System.out.println("STARTUP_CPU " + threadsCpuNanos());
        System.out.flush();
        final long warmupEnd = System.nanoTime() + warmupNanos;
        long request = 1;
        while (System.nanoTime() - warmupEnd < 0)
        {
            workload.serve();
            request++;
        }
        Arrays.fill(workload.latencyCounts, 0);
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long allocatedBefore = allocated(threads);
        final long cpuBefore = processCpuNanos();
        final long mainCpuBefore = threads.getCurrentThreadCpuTime();
        final long start = System.nanoTime();
        final long end = start + measureNanos;
        long served = 0;
        long now = start;
        while (now - end < 0)
        {
            workload.serve();
            served++;
            now = System.nanoTime();
        }
        final double seconds = (now - start) / 1e9;
        final long allocatedAfter = allocated(threads);
        final long cpuAfter = processCpuNanos();
        final long mainCpuAfter = threads.getCurrentThreadCpuTime();
        final StringBuilder result = new StringBuilder("RESULT");
        put(result, "requests", served);
        put(result, "throughput_ops_s", served / seconds);
        put(result, "p50_ms", LatencyBuckets.percentile(workload.latencyCounts, 50) / 1e6);
        put(result, "p99_ms", LatencyBuckets.percentile(workload.latencyCounts, 99) / 1e6);
        put(result, "alloc_mb_s", allocatedBefore < 0 ? -1 : (allocatedAfter - allocatedBefore) / seconds / (1 << 20));
        put(result, "cpu_us_per_op", cpuBefore < 0 || served == 0 ? -1 : (cpuAfter - cpuBefore) / 1e3 / served);
        put(result, "main_cpu_us_per_op", mainCpuBefore < 0 || served == 0 ? -1 : (mainCpuAfter - mainCpuBefore) / 1e3 / served);
        put(result, "rss_mb", procStatus("VmRSS:") / 1024.0);
        put(result, "threads", threads.getThreadCount());
        put(result, "os_threads", procStatus("Threads:"));
        put(result, "sextant_attached", Sextant.isAttached() ? 1 : 0);
        put(result, "checksum", workload.checksum & 0xFFFF);
        System.out.println(result);
        System.out.flush();
        // which threads there were, for whoever reads the run's log
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            System.err.println("THREAD " + thread.getName() + (thread.isDaemon() ? " (daemon)" : ""));
        }
        System.exit(0);
    }

    /** One request, timed. */
    private void serve()
    {
        final long start = System.nanoTime();
        // parse a payload into features
        final String payload = payload();
        final String[] fields = payload.split(",");
        for (int i = 0; i < FEATURES; i++)
        {
            features[i] = Double.parseDouble(fields[i + 1]);
        }
        categorical[0] = fields[FEATURES + 1];
        // score it
        double z = -1.5;
        for (int i = 0; i < FEATURES; i++)
        {
            z += WEIGHTS[i] * features[i];
        }
        final double p = 1.0 / (1.0 + Math.exp(-z));
        final boolean fraud = p > 0.5;
        // build a response and a little work on it
        final List<String> lines = new ArrayList<>(8);
        for (int i = 0; i < FEATURES; i++)
        {
            lines.add(FEATURE_NAMES[i] + "=" + String.format(Locale.ROOT, "%.2f", features[i]));
        }
        final byte[] body = (fields[0] + ";" + String.join(";", lines) + ";p=" + p).getBytes(StandardCharsets.UTF_8);
        int h = 0;
        for (int r = 0; r < 16; r++)
        {
            for (final byte b : body)
            {
                h = 31 * h + b;
            }
        }
        checksum += h;
        final long latency = System.nanoTime() - start;
        if ((seed & 63) == 0)
        {
            LOG.log(Level.INFO, "request {0} scored {1}", new Object[] {fields[0], fraud ? "fraud" : "legit"});
        }
        REQUESTS.increment();
        LATENCY.record(latency);
        MODEL.recordClass(latency, fraud ? "fraud" : "legit", p, fields[0], features, categorical);
        final Attributes attributes = otelAttributes[fraud ? 1 : 0];
        otelRequests.add(1);
        otelLatency.record(latency);
        otelInferences.add(1, attributes);
        otelInferenceLatency.record(latency, attributes);
        latencyCounts[LatencyBuckets.index(System.nanoTime() - start)]++;
    }

    private String payload()
    {
        seed = seed * 6_364_136_223_846_793_005L + 1_442_695_040_888_963_407L;
        final long r = seed >>> 16;
        return "req-" + (r & 0xFFFFF) + "," + (r % 5000) / 10.0 + "," + (18 + r % 60) + "," + (1 + r % 9) + "," +
            (r % 120) + "," + (r % 40) + "," + (r % 700) / 7.0 + "," + (-45 + r % 90) + "," + (r % 360 - 180) + "," +
            ((r & 1) == 0 ? "NZ" : "AU");
    }

    /**
     * CPU time the live threads of this process have run, from Linux's per-thread scheduler statistics
     * (nanoseconds; read without {@code java.lang.management}, which would load a few hundred classes
     * into the start-up being measured), or -1 when they cannot be read.
     */
    private static long threadsCpuNanos()
    {
        long total = 0;
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/self/task")))
        {
            for (final Path task : tasks)
            {
                try
                {
                    final String stat = Files.readString(task.resolve("schedstat"));
                    total += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
                }
                catch (final IOException | RuntimeException gone)
                {
                    // the thread ended meanwhile
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
        return total;
    }

    /** CPU time of the whole process (every thread, the agent's and the JVM's own included), or -1. */
    private static long processCpuNanos()
    {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ?
            os.getProcessCpuTime() : -1;
    }

    private static long allocated(final ThreadMXBean threads)
    {
        if (threads instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported())
        {
            return sun.getTotalThreadAllocatedBytes();
        }
        return -1;
    }

    private static long procStatus(final String field)
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith(field))
                {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // not Linux: unknown
        }
        return -1;
    }

    private static void put(final StringBuilder out, final String key, final double value)
    {
        out.append(' ').append(key).append('=').append(value);
    }

    /** Latencies in HdrHistogram-style buckets, 2 significant digits, in a plain array (one thread). */
    static final class LatencyBuckets
    {
        static final int SLOTS = index(Long.MAX_VALUE >>> 8) + 1;

        private LatencyBuckets()
        {
        }

        static int index(final long value)
        {
            final long v = Math.max(0, Math.min(value, Long.MAX_VALUE >>> 8));
            final int bucket = 56 - Long.numberOfLeadingZeros(v | 255);
            final int subBucket = (int)(v >>> bucket);
            return ((bucket + 1) << 7) + (subBucket - 128);
        }

        static long valueAt(final int index)
        {
            int bucket = (index >> 7) - 1;
            int subBucket = (index & 127) + 128;
            if (bucket < 0)
            {
                subBucket -= 128;
                bucket = 0;
            }
            return (long)subBucket << bucket;
        }

        static long percentile(final long[] counts, final double percentile)
        {
            long total = 0;
            for (final long c : counts)
            {
                total += c;
            }
            final long rank = Math.max(1, (long)Math.ceil(total * percentile / 100.0));
            long seen = 0;
            for (int i = 0; i < counts.length; i++)
            {
                seen += counts[i];
                if (seen >= rank)
                {
                    // the middle of the bucket
                    final long low = valueAt(i);
                    final long next = i + 1 < counts.length ? valueAt(i + 1) : low;
                    return (low + next) / 2;
                }
            }
            return 0;
        }
    }
}
