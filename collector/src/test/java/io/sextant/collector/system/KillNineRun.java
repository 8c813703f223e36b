package io.sextant.collector.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.sextant.collector.support.Http;
import io.sextant.collector.support.TestAgent;
import io.sextant.protocol.SeriesKind;
import io.sextant.protocol.Welcome;

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
 * What the kill -9 system tests share: the collector jar as a child process on fixed loopback ports and a
 * data folder that outlives it, an agent streaming numbered frames of one gauge (frame {@code seq} holds
 * values {@code seq * 100 ... seq * 100 + 99}), and the checks after the restart (every acknowledged sample
 * queryable, the session resuming after the last journaled sequence).
 */
final class KillNineRun implements AutoCloseable
{
    static final int SAMPLES_PER_FRAME = 100;

    final Path dir;
    final int ingest;
    final int otlp;
    final int http;
    final UUID agentId = UUID.randomUUID();
    final long session;
    /** Event time of frame 0, an hour back. */
    final long base = System.currentTimeMillis() - 3_600_000L;
    Process process;
    /** Follows the connection's acknowledgements; ends when the connection closes. */
    Thread reader;

    KillNineRun(final Path dir, final long session) throws IOException
    {
        this.dir = dir;
        this.session = session;
        this.ingest = freePort();
        this.otlp = freePort();
        this.http = freePort();
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket s = new ServerSocket(0))
        {
            return s.getLocalPort();
        }
    }

    /** Starts {@code java -jar target/sextant-collector.jar serve} and waits until it is ready. */
    void start(final String log, final String... settings) throws IOException
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
        for (final String setting : settings)
        {
            command.addAll(List.of("--set", setting));
        }
        final Process p = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log).toFile())).start();
        process = p;
        Http.await(http, "/readyz", a -> a.status() == 200 || !p.isAlive(), Duration.ofSeconds(60));
        assertThat(p.isAlive()).as("collector process alive; log:\n" + readLog(log)).isTrue();
    }

    /** SIGKILL on Linux, and waits for the process to be gone. */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor();
    }

    String readLog(final String log)
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

    /** Opens the agent's connection, defines the gauge and starts a thread that follows its acknowledgements. */
    TestAgent connect(final AtomicLong acked) throws IOException
    {
        final TestAgent agent = new TestAgent(ingest, agentId, session);
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
        reader.setDaemon(true);
        reader.start();
        this.reader = reader;
        return agent;
    }

    void sendFrame(final TestAgent agent, final long seq) throws IOException
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

    /**
     * After the restart: every acknowledged sample is queryable (the highest value too), and the agent's
     * session resumes after the last journaled sequence, whose next frame is acknowledged.
     *
     * @return the samples the restarted collector holds.
     */
    long assertAcknowledgedSurvived(final long acknowledged, final long sent, final String log) throws IOException
    {
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
        assertThat(total).as("samples after restart; log:\n" + readLog(log))
            .isGreaterThanOrEqualTo(acknowledged * SAMPLES_PER_FRAME);
        double highest = 0;
        for (final JsonNode point : Http.get(http, query + "max").json().at("/data/result/0/values"))
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
            sendFrame(agent, next);
            agent.awaitAck(next);
        }
        return (long)total;
    }

    @Override
    public void close()
    {
        if (process != null)
        {
            process.destroyForcibly();
        }
    }
}
