package io.sextant.collector.ingest;

import io.sextant.collector.Collector;
import io.sextant.collector.analysis.AnalysisStage;
import io.sextant.collector.config.CollectorConfig;
import io.sextant.collector.store.MetricSeries;
import io.sextant.collector.support.TestAgent;
import io.sextant.protocol.SeriesKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the analysis falls behind, the store tailer waits for it, the store lag grows to
 * {@code max-store-lag}, and ingest stops reading instead of letting the journal run away from the
 * store: the lag stays bounded, nothing is lost, and everything is stored once the analysis catches up.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.sextant.collector.support.NoLeaks.class)
class StoreLagBackpressureIT
{
    @TempDir
    Path dir;

    private static long lag(final Collector collector)
    {
        return ((Number)((Map<?, ?>)collector.status().get("ingest")).get("storeLagRecords")).longValue();
    }

    @Test
    void aSlowAnalysisPausesIngestAndLosesNothing() throws Exception
    {
        final AtomicLong analysed = new AtomicLong();
        final AnalysisStage slow = new AnalysisStage()
        {
            @Override
            public void onSample(final MetricSeries series, final long timeMillis, final double value)
            {
                LockSupport.parkNanos(20_000); // about 50k samples a second at best
                analysed.incrementAndGet();
            }
        };
        final int maxLag = 50;
        final int frames = 400;
        final int perFrame = 100;
        try (Collector collector = new Collector(CollectorConfig.of(Map.of("data-dir", dir.toString(),
            "ingest-port", "0", "otlp-port", "0", "http-port", "0", "bind-address", "127.0.0.1",
            "max-store-lag", Integer.toString(maxLag), "analysis-ring-size", "4KiB")), m -> { })
            .addStage(slow, null).start())
        {
            long maxSeenLag = 0;
            try (TestAgent agent = new TestAgent(collector.ingestPort(), UUID.randomUUID(), 1))
            {
                agent.handshake("lag", "");
                agent.define(1, SeriesKind.GAUGE, "g", "");
                final long base = System.currentTimeMillis() - 3_600_000L;
                final Thread sender = new Thread(() ->
                {
                    try
                    {
                        for (int f = 1; f <= frames; f++)
                        {
                            final int[] ids = new int[perFrame];
                            final long[] times = new long[perFrame];
                            final double[] values = new double[perFrame];
                            for (int i = 0; i < perFrame; i++)
                            {
                                ids[i] = 1;
                                times[i] = base + (long)f * perFrame + i;
                                values[i] = i;
                            }
                            agent.metrics(f, 0, base, ids, times, values);
                        }
                    }
                    catch (final Exception ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                });
                sender.start();
                final long deadline = System.nanoTime() + 60_000_000_000L;
                while (collector.store().samples() < (long)frames * perFrame && System.nanoTime() - deadline < 0)
                {
                    maxSeenLag = Math.max(maxSeenLag, lag(collector));
                    Thread.sleep(2);
                }
                sender.join(10_000);
                agent.awaitAck(frames);
            }
            final Map<?, ?> ingest = (Map<?, ?>)collector.status().get("ingest");
            assertThat(((Number)ingest.get("lagPauses")).longValue()).as("ingest paused for the lag").isPositive();
            // A connection may have a few frames decoded when the check trips: the lag stays near the bound.
            assertThat(maxSeenLag).as("largest store lag seen").isLessThanOrEqualTo(maxLag + 20);
            assertThat(collector.store().samples()).isEqualTo((long)frames * perFrame);
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while ((lag(collector) != 0 || analysed.get() < (long)frames * perFrame) && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(2);
            }
            assertThat(lag(collector)).as("lag once everything is applied").isZero();
            assertThat(analysed.get()).as("samples the slow stage saw").isEqualTo((long)frames * perFrame);
        }
    }
}
