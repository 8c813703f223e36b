package io.sextant.bench.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sextant.bench.Harnesses;
import io.sextant.collector.Collector;
import io.sextant.collector.analysis.Signal;
import io.sextant.collector.api.Selector;
import io.sextant.collector.config.CollectorConfig;
import io.sextant.collector.store.MetricSeries;
import io.sextant.collector.store.Series;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code ingest} harness: simulated agents over loopback into a real in-process collector
 * (journal on, acknowledgements on, store and analysis running), in four phases:
 *
 * <ol>
 *   <li><b>throughput</b>, twice: through ingest, journal and store with the metric anomaly stage
 *       analysing one series ({@code samples_per_s}, the target's scope), then with every series
 *       analysed ({@code samples_per_s_with_analysis}); every agent keeps a window of frames in flight for a fixed time; the rate
 *       is the samples both acknowledged and stored per second, and CPU is the whole process's
 *       (generator included) per million samples;</li>
 *   <li><b>acknowledgement latency</b> at a paced 200k samples/s: send time of a frame to the ACK
 *       that covers it;</li>
 *   <li><b>ingest to queryable</b> in the same paced run: send time of a frame to the moment its
 *       last sample is readable from the store (what the query API reads);</li>
 *   <li><b>ingest to anomaly</b>: series warmed up with a steady signal, then one spike each; send
 *       time of the spike to its signal in the collector's signal log.</li>
 * </ol>
 *
 * <p>The reference, in the same run, is the raw Chronicle Queue append rate of the same records
 * (journal header plus frame) on the same disk, one thread, no network.
 */
public final class IngestHarness
{
    private static final int SAMPLES_PER_FRAME = 1000;
    private static final int WINDOW = 64;

    private IngestHarness()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        Path out = Path.of("benchmarks", "results");
        boolean quick = false;
        int agents = 4;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--agents" -> agents = Integer.parseInt(args[++i]);
                case "--data" -> i++; // synthetic load: no data folder
                default -> throw new IllegalArgumentException("unknown argument " + args[i] +
                    "; usage: IngestHarness [--out DIR] [--quick] [--agents N]");
            }
        }
        final ObjectNode summary = run(quick, agents);
        Files.createDirectories(out);
        final String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary);
        Files.writeString(out.resolve("ingest.json"), json + "\n", StandardCharsets.UTF_8);
        System.out.println(json);
        System.exit(0);
    }

    static ObjectNode run(final boolean quick, final int agentCount) throws Exception
    {
        final int seriesPerAgent = 250;
        final long throughputMillis = quick ? 3_000 : 20_000;
        final long pacedMillis = quick ? 3_000 : 20_000;
        final int pacedRate = 200_000;
        final int anomalySeries = quick ? 5 : 40;
        final Path dir = Files.createTempDirectory("sextant-ingest-bench");
        final ObjectMapper mapper = new ObjectMapper();
        final ObjectNode root = mapper.createObjectNode();
        root.put("harness", "ingest");
        root.put("commit", Harnesses.commit());
        root.put("jdk", System.getProperty("java.version"));
        root.put("cores", Runtime.getRuntime().availableProcessors());
        final ObjectNode params = root.putObject("params");
        params.put("quick", quick);
        params.put("agents", agentCount);
        params.put("series_per_agent", seriesPerAgent);
        params.put("samples_per_frame", SAMPLES_PER_FRAME);
        params.put("frames_in_flight_per_agent", WINDOW);
        params.put("throughput_seconds", throughputMillis / 1000.0);
        params.put("paced_samples_per_s", pacedRate);
        params.put("paced_seconds", pacedMillis / 1000.0);
        params.put("journal", dir.toString());
        final ObjectNode results = root.putObject("results");
        final ObjectNode reference = root.putObject("reference");
        try
        {
            // Throughput through ingest, journal and store (the target's scope): the metric anomaly stage
            // analyses one series (the smallest setting), so for the others it costs a lookup per sample.
            try (Collector collector = start(dir.resolve("data-store"), "1"))
            {
                throughput(collector, agentCount, seriesPerAgent, throughputMillis, results, "");
            }
            // The same load with every series analysed (the default stage): the analysis thread is then the
            // bottleneck and holds ingest back through max-store-lag.
            try (Collector collector = start(dir.resolve("data"), "200000"))
            {
                throughput(collector, agentCount, seriesPerAgent, throughputMillis, results, "_with_analysis");
                paced(collector, seriesPerAgent, pacedRate, pacedMillis, results);
                anomaly(collector, anomalySeries, results);
                results.put("bytes_per_sample", (double)collector.store().metricBytes() / collector.store().samples());
                results.put("stored_samples", collector.store().samples());
            }
            reference(dir.resolve("reference"), quick ? 2_000 : 10_000, reference);
            final ObjectNode ratio = root.putObject("ratio");
            ratio.put("samples_per_s_vs_raw_chronicle",
                results.get("samples_per_s").asDouble() / reference.get("raw_chronicle_samples_per_s").asDouble());
        }
        finally
        {
            Harnesses.deleteQuietly(dir);
        }
        return root;
    }

    private static Collector start(final Path data, final String analysedSeries) throws Exception
    {
        final Collector collector = new Collector(CollectorConfig.of(Map.of("data-dir", data.toString(),
            "ingest-port", "0", "otlp-port", "0", "http-port", "0", "bind-address", "127.0.0.1",
            "series-limit", "200000", "anomaly-max-series", analysedSeries)), m -> System.err.println("collector: " + m))
            .start();
        awaitReady(collector);
        return collector;
    }

    private static void throughput(final Collector collector, final int agentCount, final int seriesPerAgent,
        final long millis, final ObjectNode results, final String suffix) throws Exception
    {
        final List<LoadAgent> agents = new ArrayList<>();
        final long start = System.currentTimeMillis() - 86_400_000L;
        for (int a = 0; a < agentCount; a++)
        {
            agents.add(new LoadAgent(collector.ingestPort(), "bench-" + a, seriesPerAgent, start));
        }
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> senders = new ArrayList<>();
        for (final LoadAgent agent : agents)
        {
            final Thread t = new Thread(() ->
            {
                try
                {
                    while (running.get())
                    {
                        if (agent.canSend(WINDOW))
                        {
                            agent.sendNext(SAMPLES_PER_FRAME);
                        }
                        else
                        {
                            LockSupport.parkNanos(20_000);
                        }
                    }
                }
                catch (final IOException ex)
                {
                    System.err.println("sender failed: " + ex);
                }
            }, "load-sender");
            senders.add(t);
            t.start();
        }
        // Warm up, then measure acknowledged and stored samples over the window.
        Thread.sleep(Math.min(3_000, millis / 3));
        final long stored0 = collector.store().samples();
        final long acked0 = ackedSamples(agents);
        final long cpu0 = Harnesses.processCpuNanos();
        final long t0 = System.nanoTime();
        Thread.sleep(millis);
        final long elapsed = System.nanoTime() - t0;
        final long stored1 = collector.store().samples();
        final long acked1 = ackedSamples(agents);
        final long cpu1 = Harnesses.processCpuNanos();
        running.set(false);
        for (final Thread t : senders)
        {
            t.join();
        }
        final double seconds = elapsed / 1e9;
        final double ackedRate = (acked1 - acked0) / seconds;
        final double storedRate = (stored1 - stored0) / seconds;
        results.put("samples_per_s" + suffix, Math.min(ackedRate, storedRate));
        results.put("acked_samples_per_s" + suffix, ackedRate);
        results.put("stored_samples_per_s" + suffix, storedRate);
        results.put("cpu_s_per_million" + suffix, (cpu1 - cpu0) / 1e9 / (Math.max(1, stored1 - stored0) / 1e6));
        awaitStored(collector, sentSamples(agents));
        for (final LoadAgent agent : agents)
        {
            agent.close();
        }
    }

    private static void paced(final Collector collector, final int series, final int rate, final long millis,
        final ObjectNode results) throws Exception
    {
        final Histogram ack = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final Histogram queryable = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final long start = System.currentTimeMillis() - 43_200_000L;
        try (LoadAgent agent = new LoadAgent(collector.ingestPort(), "paced", series, start))
        {
            agent.ackLatency(n ->
            {
                synchronized (ack)
                {
                    ack.recordValue(Math.min(n, ack.getHighestTrackableValue()));
                }
            });
            final long intervalNanos = 1_000_000_000L * SAMPLES_PER_FRAME / rate;
            final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            long next = System.nanoTime();
            MetricSeries watched = null;
            while (System.nanoTime() - end < 0)
            {
                final long sentNanos = System.nanoTime();
                agent.sendNext(SAMPLES_PER_FRAME);
                // The frame's last sample is at the previous event-time grid point of the series just written.
                if (watched == null)
                {
                    watched = find(collector, "paced");
                }
                if (watched != null)
                {
                    final long lastTime = agent.eventTimeMillis() - 1000;
                    while (watched.lastTimeMillis() < lastTime && System.nanoTime() - sentNanos < 10_000_000_000L)
                    {
                        // Polled every ~50 us rather than spun: a spinning checker would take one of the two cores
                        // from the collector whose acknowledgement latency this phase measures.
                        LockSupport.parkNanos(20_000);
                    }
                    queryable.recordValue(Math.min(System.nanoTime() - sentNanos, queryable.getHighestTrackableValue()));
                }
                next += intervalNanos;
                final long wait = next - System.nanoTime();
                if (wait > 0)
                {
                    LockSupport.parkNanos(wait);
                }
            }
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (agent.acked() < agent.sent() && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(1);
            }
        }
        synchronized (ack)
        {
            results.put("ack_p50_ms", ack.getValueAtPercentile(50) / 1e6);
            results.put("ack_p99_ms", ack.getValueAtPercentile(99) / 1e6);
            results.put("ack_p999_ms", ack.getValueAtPercentile(99.9) / 1e6);
            results.put("ack_samples", ack.getTotalCount());
        }
        results.put("queryable_p50_ms", queryable.getValueAtPercentile(50) / 1e6);
        results.put("queryable_p99_ms", queryable.getValueAtPercentile(99) / 1e6);
        results.put("queryable_samples", queryable.getTotalCount());
    }

    /**
     * Watches the series that the last sample of each paced frame lands in: with 250 series and 1000
     * samples a frame, every frame ends on series 249 of the round.
     */
    private static MetricSeries find(final Collector collector, final String service)
    {
        for (final Series s : collector.store().catalog().select(Selector.parse("match",
            "bench.gauge{service=\"" + service + "\",n=\"249\"}")))
        {
            if (s instanceof MetricSeries m)
            {
                return m;
            }
        }
        return null;
    }

    private static void anomaly(final Collector collector, final int seriesCount, final ObjectNode results)
        throws Exception
    {
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final long start = System.currentTimeMillis() - 7_200_000L;
        int detected = 0;
        try (LoadAgent agent = new LoadAgent(collector.ingestPort(), "spiky", seriesCount, start))
        {
            // Warm-up: 600 rounds of steady values (the agent's gauges step now and then).
            final int warmRounds = 600;
            for (int r = 0; r < warmRounds; r++)
            {
                while (!agent.canSend(WINDOW))
                {
                    LockSupport.parkNanos(50_000);
                }
                agent.sendNext(seriesCount);
            }
            final long deadline = System.nanoTime() + 30_000_000_000L;
            while (agent.acked() < agent.sent() && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(1);
            }
            final int before = collector.signals().size();
            for (int s = 1; s < seriesCount; s += 4)
            {
                // Series s (a gauge) jumps to 50x its level for one sample; everything else stays the same.
                final String subject = "n=\"" + s + "\"";
                final long sent = System.nanoTime();
                agent.sendSpike(s, 50.0);
                boolean seen = false;
                while (System.nanoTime() - sent < 5_000_000_000L && !seen)
                {
                    for (final Signal sig : collector.signals().find(x -> x.service().equals("spiky") &&
                        x.subject().contains(subject) && x.kind() == Signal.Kind.METRIC_ANOMALY, 1))
                    {
                        seen = sig != null;
                    }
                    if (!seen)
                    {
                        LockSupport.parkNanos(100_000);
                    }
                }
                if (seen)
                {
                    detected++;
                    latency.recordValue(System.nanoTime() - sent);
                }
            }
            results.put("anomaly_signals_before_spikes", collector.signals().size() - before);
        }
        results.put("anomaly_spikes_detected", detected);
        results.put("anomaly_p99_ms", detected == 0 ? null : latency.getValueAtPercentile(99) / 1e6);
    }

    private static void reference(final Path dir, final long millis, final ObjectNode reference) throws IOException
    {
        final LoadAgent.FrameSource frames = LoadAgent.frameSource(250, SAMPLES_PER_FRAME);
        final byte[] header = new byte[48];
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(dir.toFile())
            .rollCycle(RollCycles.FAST_HOURLY).build(); ExcerptAppender appender = queue.createAppender())
        {
            long records = 0;
            final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            final long t0 = System.nanoTime();
            while (System.nanoTime() - end < 0)
            {
                final byte[] frame = frames.next();
                try (DocumentContext dc = appender.writingDocument())
                {
                    final Bytes<?> bytes = dc.wire().bytes();
                    bytes.write(header);
                    bytes.write(frame);
                }
                records++;
            }
            final double seconds = (System.nanoTime() - t0) / 1e9;
            reference.put("raw_chronicle_records_per_s", records / seconds);
            reference.put("raw_chronicle_samples_per_s", records * (double)SAMPLES_PER_FRAME / seconds);
            reference.put("raw_chronicle_frame_bytes", frames.lastLength());
        }
    }

    private static long ackedSamples(final List<LoadAgent> agents)
    {
        long n = 0;
        for (final LoadAgent a : agents)
        {
            n += a.acked() * SAMPLES_PER_FRAME;
        }
        return n;
    }

    private static long sentSamples(final List<LoadAgent> agents)
    {
        long n = 0;
        for (final LoadAgent a : agents)
        {
            n += a.sent() * SAMPLES_PER_FRAME;
        }
        return n;
    }

    private static void awaitStored(final Collector collector, final long atLeast) throws InterruptedException
    {
        // The next phase must not measure the backlog of this one.
        final long deadline = System.nanoTime() + 600_000_000_000L;
        while (collector.store().samples() < atLeast && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(5);
        }
        // The store hands every sample to the analysis before it counts the next, so once the analysis ring is
        // empty the analysis has seen them all (with analysis on, it is the slower of the two and lags).
        while (collector.analysis().backlogBytes() > 0 && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(5);
        }
    }

    private static void awaitReady(final Collector collector) throws InterruptedException
    {
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (!collector.ready() && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(5);
        }
    }
}
