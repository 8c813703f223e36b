package io.sextant.collector.ingest;

import io.netty.channel.EventLoopGroup;
import io.sextant.collector.journal.Journal;
import io.sextant.collector.journal.JournalRing;
import io.sextant.collector.journal.JournalWriter;
import io.sextant.collector.support.TestAgent;
import io.sextant.collector.transport.Transport;
import io.sextant.protocol.SeriesKind;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the journal writer falls behind, the ring fills, the connection stops reading (backpressure)
 * without buffering without bound or losing frames, and everything is acknowledged once the writer
 * catches up.
 */
@org.junit.jupiter.api.extension.ExtendWith(io.sextant.collector.support.NoLeaks.class)
class BackpressureIT
{
    @TempDir
    Path dir;

    @Test
    void pausesReadingWhileTheRingIsFullAndAcknowledgesEverythingAfterwards() throws Exception
    {
        final EventLoopGroup group = Transport.group(1, "test-io");
        final JournalRing ring = new JournalRing(64 * 1024, 8);
        try (Journal journal = new Journal(dir, "FAST_HOURLY", null, false);
            IngestServer server = new IngestServer(ring, new Sessions(), Set.of(), 1 << 20, 5000,
                SystemEpochClock.INSTANCE, m -> System.out.println("[ingest] " + m)))
        {
            final int port = server.start(group, group, "127.0.0.1", 0);
            final int frames = 200;
            final int perFrame = 300;
            try (TestAgent agent = new TestAgent(port, UUID.randomUUID(), 1))
            {
                agent.handshake("bp", "");
                agent.define(1, SeriesKind.GAUGE, "g", "");
                final long base = System.currentTimeMillis();
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
                                times[i] = base + f;
                                values[i] = Math.random();
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
                final long deadline = System.nanoTime() + 10_000_000_000L;
                while (server.pauses() == 0 && System.nanoTime() - deadline < 0)
                {
                    Thread.onSpinWait();
                }
                assertThat(server.pauses()).as("connection paused because the ring filled").isPositive();
                assertThat(ring.sizeBytes()).isLessThanOrEqualTo(ring.capacityBytes());
                assertThat(server.acksSent()).isZero();

                final JournalWriter writer = new JournalWriter(journal, ring, 8, Long.MAX_VALUE, Long.MAX_VALUE,
                    SystemEpochClock.INSTANCE);
                try (AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace,
                    null, writer))
                {
                    AgentRunner.startOnThread(runner);
                    agent.awaitAck(frames);
                    sender.join(10_000);
                    assertThat(writer.appended()).isEqualTo(frames + 2); // HELLO, DEFINE and the data frames
                }
            }
        }
        finally
        {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
