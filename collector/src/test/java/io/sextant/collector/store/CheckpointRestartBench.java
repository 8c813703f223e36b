package io.sextant.collector.store;

import io.sextant.collector.Collector;
import io.sextant.collector.config.CollectorConfig;
import io.sextant.collector.support.TestAgent;
import io.sextant.protocol.LogLevel;
import io.sextant.protocol.SeriesKind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Measures checkpoint cost and restart time with and without a checkpoint on a journal of a few million
 * samples (not a test: run its main with the test classpath). Each restart runs in a fresh JVM (a real
 * restart compiles nothing in advance), the modes alternating, {@code -Drounds=3} times; each reports when
 * the store was ready and when the analysis had caught up (the signals and incidents are back).
 *
 * <pre>args: [agents=10] [seriesPerAgent=1000] [framesPerAgent=300] [dataDir=temp]</pre>
 */
public final class CheckpointRestartBench
{
    private CheckpointRestartBench()
    {
    }

    private static Collector start(final Path dir, final Map<String, String> extra) throws Exception
    {
        final Map<String, String> settings = new HashMap<>(Map.of("data-dir", dir.toString(), "ingest-port", "0",
            "otlp-port", "0", "http-port", "0", "bind-address", "127.0.0.1", "ring-size", "64MiB",
            "checkpoint-interval", "1h", "series-limit", "200000", "anomaly-max-series", "2000"));
        settings.putAll(extra);
        return new Collector(CollectorConfig.of(settings), m ->
        {
            if (m.contains("checkpoint") || m.contains("caught up") || m.contains("warm-up"))
            {
                System.out.println("  [collector] " + m);
            }
        }).start();
    }

    private static long awaitReady(final Collector c, final long t0)
    {
        while (!c.ready())
        {
            // Parked, not spinning: a spinning poller would take one of the machine's cores from the restart.
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** One restart in this (fresh) JVM: prints the times to store ready and to analysis caught up. */
    private static void restart(final Path dir, final String mode) throws Exception
    {
        final Map<String, String> extra = mode.startsWith("full") ? Map.of("checkpoint-interval", "off") :
            mode.startsWith("nowarmup") ? Map.of("analysis-warmup", "off") : Map.of();
        final long t0 = System.nanoTime();
        final Collector c = start(dir, extra);
        final long ready = awaitReady(c, t0);
        while (!c.analysis().live())
        {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        final long live = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("restart [%s]: store ready %d ms, analysis caught up %d ms; replayed %d records, " +
            "warm-up %d records, %d series, %d signals, load %s%n", mode, ready, live, c.storeTailer().replayed(),
            c.storeTailer().warmupRecords(), c.store().catalog().size(), c.signals().size(),
            new String(Files.readAllBytes(Path.of("/proc/loadavg"))).trim());
        if (mode.startsWith("full"))
        {
            c.close();
        }
        else
        {
            // Keep the checkpoint the restarts share: no shutdown checkpoint (as after a kill).
            for (final jdk.jfr.Recording r : jdk.jfr.FlightRecorder.getFlightRecorder().getRecordings())
            {
                r.dump(Path.of(System.getProperty("java.io.tmpdir"), "restart-" + ProcessHandle.current().pid() + ".jfr"));
            }
            Runtime.getRuntime().halt(0);
        }
    }

    private static void fork(final Path dir, final String mode) throws Exception
    {
        final java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CheckpointRestartBench.class.getName());
        cmd.add("restart");
        cmd.add(mode);
        cmd.add(dir.toString());
        final Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0)
        {
            throw new IllegalStateException("restart " + mode + " failed");
        }
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length == 3 && args[0].equals("restart"))
        {
            restart(Path.of(args[2]), args[1]);
            return;
        }
        final int agents = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        final int seriesPerAgent = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        final int frames = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        final Path dir = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("ckbench");
        final long base = System.currentTimeMillis() - 30 * 60_000L;

        Collector c = start(dir, Map.of());
        long t0 = System.nanoTime();
        long samples = 0;
        for (int a = 0; a < agents; a++)
        {
            try (TestAgent agent = new TestAgent(c.ingestPort(), UUID.randomUUID(), a + 1))
            {
                agent.handshake("bench" + a % 3, "");
                for (int s = 1; s <= seriesPerAgent; s++)
                {
                    agent.define(s, s % 3 == 0 ? SeriesKind.COUNTER : SeriesKind.GAUGE, "bench.metric" + (s % 50),
                        "1", "n", Integer.toString(s));
                }
                final int[] ids = new int[seriesPerAgent];
                final long[] times = new long[seriesPerAgent];
                final double[] values = new double[seriesPerAgent];
                long seq = 1;
                for (int f = 0; f < frames; f++)
                {
                    final long t = base + f * 5_000L;
                    for (int s = 0; s < seriesPerAgent; s++)
                    {
                        ids[s] = s + 1;
                        times[s] = t + (s % 7);
                        values[s] = s % 3 == 2 ? f * 10.0 + s : 100 + 10 * Math.sin(f / 10.0 + s) + (f % 3);
                    }
                    agent.metrics(seq++, 0, t, ids, times, values);
                    samples += seriesPerAgent;
                    if (f % 10 == 0)
                    {
                        agent.log(seq++, t * 1_000_000L, LogLevel.INFO, "bench.Worker", "batch {} done in {} ms",
                            "batch " + f + " done in " + (f % 17) + " ms");
                    }
                    if (seq % 64 == 0)
                    {
                        agent.awaitAck(seq - 1);
                    }
                }
                agent.awaitAck(seq - 1);
            }
        }
        while (c.storeTailer().lastAppliedIndex() < writeIndex(c))
        {
            Thread.onSpinWait();
        }
        System.out.printf("loaded %d samples in %d series, %d ms; journal %d MiB%n", samples,
            c.store().catalog().size(), (System.nanoTime() - t0) / 1_000_000,
            sizeOf(dir.resolve("journal")) >> 20);
        for (int i = 0; i < 3; i++)
        {
            final Path f = c.checkpointNow().get(120, TimeUnit.SECONDS);
            System.out.printf("checkpoint %d: tailer pause %.1f ms, write+fsync %.1f ms, %.1f MiB (%s)%n", i,
                c.storeTailer().lastCheckpointSnapshotNanos() / 1e6, c.storeTailer().lastCheckpointWriteNanos() / 1e6,
                c.storeTailer().lastCheckpointBytes() / 1048576.0, f.getFileName());
        }
        c.close();

        // Each restart in a fresh JVM (as a real restart is: nothing compiled yet), alternating the modes.
        final int rounds = Integer.getInteger("rounds", 3);
        for (int r = 0; r < rounds; r++)
        {
            for (final String mode : new String[] {"checkpoint+warmup(1h, covers whole journal)",
                "full replay (no checkpoint)", "nowarmup (checkpoint, analysis-warmup off)"})
            {
                fork(dir, mode);
            }
        }
    }

    private static long writeIndex(final Collector c)
    {
        return ((Number)((Map<?, ?>)c.status().get("journal")).get("writeIndex")).longValue();
    }

    private static long sizeOf(final Path p) throws java.io.IOException
    {
        try (var s = Files.walk(p))
        {
            return s.filter(Files::isRegularFile).mapToLong(x -> x.toFile().length()).sum();
        }
    }
}
