package io.sextant.collector.ingest;

import io.sextant.collector.Collector;
import io.sextant.collector.config.CollectorConfig;
import io.sextant.collector.support.Http;
import io.sextant.collector.support.TestAgent;
import io.sextant.protocol.SeriesKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short end-to-end load over loopback (one connection, 100 series, 1000 samples per frame, 64
 * frames in flight): every frame is acknowledged and every sample reaches the store. Prints the
 * rates it saw; the benchmarks module owns the real harness and its targets.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.sextant.collector.support.NoLeaks.class)
class IngestThroughputIT
{
    @TempDir
    Path dataDir;

    @Test
    void acknowledgesAndStoresEverySampleUnderLoad() throws Exception
    {
        final int series = 100;
        final int perFrame = 1000;
        final int frames = 1500;
        try (Collector collector = new Collector(CollectorConfig.of(Map.of("data-dir", dataDir.toString(),
            "ingest-port", "0", "otlp-port", "0", "http-port", "0", "bind-address", "127.0.0.1")), m -> { }).start())
        {
            Http.await(collector.httpPort(), "/readyz", a -> a.status() == 200, Duration.ofSeconds(10));
            try (TestAgent agent = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 1))
            {
                agent.handshake("load", "");
                for (int s = 0; s < series; s++)
                {
                    agent.define(s, SeriesKind.GAUGE, "load.series", "", "n", Integer.toString(s));
                }
                final AtomicLong acked = new AtomicLong();
                final Thread reader = new Thread(() ->
                {
                    try
                    {
                        while (acked.get() < frames)
                        {
                            agent.read();
                            acked.set(agent.highestAck());
                        }
                    }
                    catch (final IOException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                });
                reader.start();
                final int[] ids = new int[perFrame];
                final long[] times = new long[perFrame];
                final double[] values = new double[perFrame];
                final long base = System.currentTimeMillis() - 3_600_000L;
                final long start = System.nanoTime();
                for (int f = 1; f <= frames; f++)
                {
                    while (f - acked.get() > 64)
                    {
                        Thread.onSpinWait();
                    }
                    final long frameTime = base + f * 1000L;
                    for (int i = 0; i < perFrame; i++)
                    {
                        ids[i] = i % series;
                        times[i] = frameTime + i / series;
                        values[i] = (f * 7 + i) % 1000;
                    }
                    agent.metrics(f, 0, frameTime, ids, times, values);
                }
                reader.join(30_000);
                final double ackSeconds = (System.nanoTime() - start) / 1e9;
                assertThat(acked.get()).isEqualTo(frames);
                final long expected = (long)frames * perFrame;
                final long deadline = System.nanoTime() + 30_000_000_000L;
                while (collector.store().samples() < expected && System.nanoTime() - deadline < 0)
                {
                    Thread.onSpinWait();
                }
                final double storeSeconds = (System.nanoTime() - start) / 1e9;
                assertThat(collector.store().samples()).isEqualTo(expected);
                System.out.printf("ingest: %d samples acknowledged in %.2f s (%.0f samples/s), stored in %.2f s " +
                    "(%.0f samples/s)%n", expected, ackSeconds, expected / ackSeconds, storeSeconds,
                    expected / storeSeconds);
            }
        }
    }
}
