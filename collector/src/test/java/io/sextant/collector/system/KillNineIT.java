package io.sextant.collector.system;

import io.sextant.collector.support.TestAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * System test: the collector as a real child process ({@code java -jar target/sextant-collector.jar serve}),
 * killed with SIGKILL while an agent streams frames, then restarted on the same data folder: every
 * acknowledged sample must be queryable and the session resumes after the last journaled sequence.
 */
class KillNineIT
{
    @TempDir
    Path dir;

    private KillNineRun run;

    @AfterEach
    void stop()
    {
        if (run != null)
        {
            run.close();
        }
    }

    @Test
    void everyAcknowledgedRecordSurvivesKillNine() throws Exception
    {
        run = new KillNineRun(dir, 77);
        run.start("collector-1.log");
        final AtomicLong acked = new AtomicLong();
        long sent = 0;
        try (TestAgent agent = run.connect(acked))
        {
            final long killAfterAcks = 500;
            final long deadline = System.nanoTime() + 30_000_000_000L;
            boolean killed = false;
            while (System.nanoTime() - deadline < 0 && !killed)
            {
                // Keep at most 200 frames in flight, like an agent's bounded resend buffer.
                if (sent - acked.get() < 200)
                {
                    sent++;
                    try
                    {
                        run.sendFrame(agent, sent);
                    }
                    catch (final IOException ex)
                    {
                        break;
                    }
                }
                else
                {
                    Thread.onSpinWait();
                }
                if (acked.get() >= killAfterAcks)
                {
                    run.kill();
                    killed = true;
                }
            }
            assertThat(killed).as("reached " + killAfterAcks + " acknowledged frames before killing").isTrue();
        }
        run.reader.join(10_000);
        final long acknowledged = acked.get();
        assertThat(acknowledged).isGreaterThanOrEqualTo(500);

        run.start("collector-2.log");
        run.assertAcknowledgedSurvived(acknowledged, sent, "collector-2.log");
    }
}
