package io.sextant.collector.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.sextant.collector.journal.Journal;
import io.sextant.collector.store.Checkpoint;
import io.sextant.collector.store.CheckpointFiles;
import io.sextant.collector.support.Http;
import io.sextant.collector.support.TestAgent;
import io.sextant.protocol.SeriesKind;
import io.sextant.protocol.Welcome;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static io.sextant.collector.support.Http.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * System test: the collector as a child process writing a checkpoint every second, killed with
 * SIGKILL while an agent streams (so there is no shutdown checkpoint, only the periodic ones), then
 * restarted: it starts from the newest checkpoint, replays exactly the journal records after it, and
 * every acknowledged sample is queryable.
 */
class CheckpointKillNineIT
{
    private static final int SAMPLES_PER_FRAME = 100;

    @TempDir
    Path dir;

    private Process process;

    @AfterEach
    void stop()
    {
        if (process != null)
        {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket s = new ServerSocket(0))
        {
            return s.getLocalPort();
        }
    }

    private Process startCollector(final int ingest, final int otlp, final int http, final String log) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final String flags = System.getProperty("sextant.jvm.flags", "");
        command.addAll(Arrays.stream(flags.split("\\s+")).filter(s -> !s.isBlank()).toList());
        command.add("-Xmx512m");
        command.addAll(List.of("-jar", Path.of("target", "sextant-collector.jar").toAbsolutePath().toString(), "serve",
            "--data-dir", dir.resolve("data").toString(), "--ingest-port", Integer.toString(ingest),
            "--otlp-port", Integer.toString(otlp), "--http-port", Integer.toString(http),
            "--set", "bind-address=127.0.0.1", "--set", "ring-size=16MiB", "--set", "checkpoint-interval=1s",
            // Warm-up off: this young journal lies wholly in any warm-up window, where a full replay is chosen.
            "--set", "analysis-warmup=off"));
        final ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log).toFile()));
        final Process p = pb.start();
        Http.await(http, "/readyz", a -> a.status() == 200 || !p.isAlive(), Duration.ofSeconds(60));
        assertThat(p.isAlive()).as("collector process alive; log:\n" + readLog(log)).isTrue();
        return p;
    }

    private String readLog(final String log)
    {
        try
        {
            return Files.readString(dir.resolve(log));
        }
        catch (final IOException ex)
        {
            return ex.toString();
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
        try (Journal journal = new Journal(dir.resolve("data"), "FAST_HOURLY", null, false);
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
        final int ingest = freePort();
        final int otlp = freePort();
        final int http = freePort();
        process = startCollector(ingest, otlp, http, "collector-1.log");
        final UUID agentId = UUID.randomUUID();
        final long session = 78;
        final long base = System.currentTimeMillis() - 3_600_000L;
        final AtomicLong acked = new AtomicLong();
        long sent = 0;
        try (TestAgent agent = new TestAgent(ingest, agentId, session))
        {
            agent.handshake("load", "");
            agent.define(1, SeriesKind.GAUGE, "load.value", "");
            final Thread reader = new Thread(() ->
            {
                try
                {
                    while (true)
                    {
                        agent.read();
                        acked.set(agent.highestAck());
                    }
                }
                catch (final IOException closed)
                {
                    acked.set(agent.highestAck());
                }
            }, "ack-reader");
            reader.start();
            final long deadline = System.nanoTime() + 60_000_000_000L;
            boolean killed = false;
            long nextCheck = 0;
            while (System.nanoTime() - deadline < 0 && !killed)
            {
                if (sent - acked.get() < 200)
                {
                    sent++;
                    sendFrame(agent, sent, base);
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
                            sendFrame(agent, sent, base);
                        }
                        process.destroyForcibly(); // SIGKILL on Linux
                        process.waitFor();
                        killed = true;
                    }
                }
            }
            assertThat(killed).as("two checkpoints and 1000 acknowledged frames before the kill; log:\n" +
                readLog("collector-1.log")).isTrue();
            reader.join(10_000);
        }
        final long acknowledged = acked.get();
        final List<Path> files = new CheckpointFiles(dir.resolve("data").resolve("checkpoint"), m -> { }).list();
        assertThat(files).isNotEmpty();
        final Checkpoint newest = CheckpointFiles.read(files.get(0));
        final long after = recordsAfter(newest.journalIndex());
        assertThat(after).as("records journaled after the last periodic checkpoint").isPositive();

        process = startCollector(ingest, otlp, http, "collector-2.log");
        assertThat((long)metric(http, "sextant_replay_checkpoint_index")).isEqualTo(newest.journalIndex());
        assertThat((long)metric(http, "sextant_replay_records")).isEqualTo(after);

        final long start = (base - 1000) / 1000;
        final long end = start + 600L * ((sent + 3) / 600 + 1);
        final String query = "/api/v1/query_range?query=" + enc("load.value{service=\"load\"}") + "&start=" +
            start + "&end=" + end + "&step=600s&agg=";
        final JsonNode counts = Http.await(http, query + "count", a -> a.status() == 200 &&
            a.json().at("/data/result").size() == 1, Duration.ofSeconds(30)).json();
        double total = 0;
        for (final JsonNode point : counts.at("/data/result/0/values"))
        {
            total += point.get(1).asDouble();
        }
        assertThat(total).as("samples after restart; log:\n" + readLog("collector-2.log"))
            .isGreaterThanOrEqualTo(acknowledged * SAMPLES_PER_FRAME);

        try (TestAgent agent = new TestAgent(ingest, agentId, session))
        {
            final Welcome welcome = agent.handshake("load", "");
            assertThat(welcome.lastJournaledSequence()).isGreaterThanOrEqualTo(acknowledged)
                .isEqualTo((long)(total / SAMPLES_PER_FRAME));
            agent.define(1, SeriesKind.GAUGE, "load.value", "");
            final long next = welcome.lastJournaledSequence() + 1;
            sendFrame(agent, next, base);
            agent.awaitAck(next);
        }
    }

    private static void sendFrame(final TestAgent agent, final long seq, final long base) throws IOException
    {
        final int[] ids = new int[SAMPLES_PER_FRAME];
        final long[] times = new long[SAMPLES_PER_FRAME];
        final double[] values = new double[SAMPLES_PER_FRAME];
        final long frameTime = base + seq * 1000L;
        for (int i = 0; i < SAMPLES_PER_FRAME; i++)
        {
            ids[i] = 1;
            times[i] = frameTime + i * 10L;
            values[i] = seq * SAMPLES_PER_FRAME + i;
        }
        agent.metrics(seq, 0, frameTime, ids, times, values);
    }
}
