package io.sextant.collector.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.sextant.collector.support.Http;
import io.sextant.collector.support.TestAgent;
import io.sextant.protocol.SeriesKind;
import io.sextant.protocol.Welcome;
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
 * System test: the collector as a real child process ({@code java -jar target/sextant-collector.jar serve}),
 * killed with SIGKILL while an agent streams frames, then restarted on the same data folder: every
 * acknowledged sample must be queryable and the session resumes after the last journaled sequence.
 */
class KillNineIT
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
            "--set", "bind-address=127.0.0.1", "--set", "ring-size=16MiB"));
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

    @Test
    void everyAcknowledgedRecordSurvivesKillNine() throws Exception
    {
        final int ingest = freePort();
        final int otlp = freePort();
        final int http = freePort();
        process = startCollector(ingest, otlp, http, "collector-1.log");
        final UUID agentId = UUID.randomUUID();
        final long session = 77;
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
                        sendFrame(agent, sent, base);
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
                    process.destroyForcibly(); // SIGKILL on Linux
                    process.waitFor();
                    killed = true;
                }
            }
            assertThat(killed).as("reached " + killAfterAcks + " acknowledged frames before killing").isTrue();
            reader.join(10_000);
        }
        final long acknowledged = acked.get();
        assertThat(acknowledged).isGreaterThanOrEqualTo(500);

        process = startCollector(ingest, otlp, http, "collector-2.log");
        // Step buckets end at start + i*step: choose an end a whole number of steps after start that lies
        // beyond the last frame's time (base + sent s + 1 s).
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
        assertThat(total).as("samples after restart; log:\n" + readLog("collector-2.log")).isGreaterThanOrEqualTo(acknowledged * SAMPLES_PER_FRAME);
        final JsonNode max = Http.get(http, query + "max").json();
        double highest = 0;
        for (final JsonNode point : max.at("/data/result/0/values"))
        {
            highest = Math.max(highest, point.get(1).asDouble());
        }
        assertThat(highest).isGreaterThanOrEqualTo(acknowledged * SAMPLES_PER_FRAME + SAMPLES_PER_FRAME - 1);

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
