package io.sextant.collector.system;

import io.sextant.collector.journal.Journal;
import io.sextant.collector.store.Checkpoint;
import io.sextant.collector.store.CheckpointFiles;
import io.sextant.collector.support.Http;
import io.sextant.collector.support.TestAgent;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * System test: the collector as a child process writing a checkpoint every second, killed with
 * SIGKILL while an agent streams (so there is no shutdown checkpoint, only the periodic ones), then
 * restarted: it starts from the newest checkpoint, replays exactly the journal records after it, and
 * every acknowledged sample is queryable.
 */
class CheckpointKillNineIT
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

    private static double metric(final int port, final String name)
    {
        for (final String line : Http.get(port, "/metrics").body().split("\n"))
        {
            if (line.startsWith(name + " "))
            {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no metric " + name);
    }

    private long recordsAfter(final long index)
    {
        long n = 0;
        try (Journal journal = new Journal(run.dir.resolve("data"), "FAST_HOURLY", null, false);
            ExcerptTailer tailer = journal.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    if (dc.index() > index)
                    {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    @Test
    void afterKillNineTheRestartUsesThePeriodicCheckpointAndLosesNothingAcknowledged() throws Exception
    {
        run = new KillNineRun(dir, 78);
        // Warm-up off: this young journal lies wholly in any warm-up window, where a full replay is chosen.
        final String[] settings = {"checkpoint-interval=1s", "analysis-warmup=off"};
        run.start("collector-1.log", settings);
        final int http = run.http;
        final AtomicLong acked = new AtomicLong();
        long sent = 0;
        try (TestAgent agent = run.connect(acked))
        {
            final long deadline = System.nanoTime() + 60_000_000_000L;
            boolean killed = false;
            long nextCheck = 0;
            while (System.nanoTime() - deadline < 0 && !killed)
            {
                if (sent - acked.get() < 200)
                {
                    sent++;
                    run.sendFrame(agent, sent);
                    // Pace the stream so that it spans a few checkpoint intervals.
                    if (sent % 50 == 0)
                    {
                        Thread.sleep(20);
                    }
                }
                else
                {
                    Thread.onSpinWait();
                }
                if (acked.get() >= 1000 && System.nanoTime() - nextCheck > 0)
                {
                    nextCheck = System.nanoTime() + 50_000_000L;
                    if (metric(http, "sextant_checkpoints_total") >= 2 &&
                        metric(http, "sextant_checkpoint_last_index") > 0)
                    {
                        // A few more frames after the last checkpoint, then SIGKILL mid-stream.
                        for (int i = 0; i < 20; i++)
                        {
                            sent++;
                            run.sendFrame(agent, sent);
                        }
                        run.kill();
                        killed = true;
                    }
                }
            }
            assertThat(killed).as("two checkpoints and 1000 acknowledged frames before the kill; log:\n" +
                run.readLog("collector-1.log")).isTrue();
        }
        run.reader.join(10_000);
        final long acknowledged = acked.get();
        final List<Path> files = new CheckpointFiles(dir.resolve("data").resolve("checkpoint"), m -> { }).list();
        assertThat(files).isNotEmpty();
        final Checkpoint newest = CheckpointFiles.read(files.get(0));
        final long after = recordsAfter(newest.journalIndex());
        assertThat(after).as("records journaled after the last periodic checkpoint").isPositive();

        run.start("collector-2.log", settings);
        assertThat((long)metric(http, "sextant_replay_checkpoint_index")).isEqualTo(newest.journalIndex());
        assertThat((long)metric(http, "sextant_replay_records")).isEqualTo(after);
        run.assertAcknowledgedSurvived(acknowledged, sent, "collector-2.log");
    }
}
