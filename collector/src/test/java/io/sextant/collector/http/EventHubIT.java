package io.sextant.collector.http;

import io.netty.channel.EventLoopGroup;
import io.sextant.collector.transport.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server-sent events through the real Netty HTTP server on loopback, read by plain sockets: the head,
 * the hello, heartbeats, published events (multi-line data split into data lines), a client that goes
 * away forgotten at once, and a client that stops reading dropped when its queue is full while the
 * publisher carries on and the other clients keep receiving.
 */
class EventHubIT
{
    private static final Duration WAIT = Duration.ofSeconds(20);

    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private ExecutorService executor;
    private HttpServer server;
    private EventHub hub;
    private int port;

    @BeforeEach
    void start() throws Exception
    {
        boss = Transport.group(1, "test-accept");
        workers = Transport.group(2, "test-io");
        executor = Executors.newFixedThreadPool(2);
        hub = new EventHub(64, System::currentTimeMillis);
        server = new HttpServer("events", r -> CompletableFuture.completedFuture(r.path().equals("/events") ?
            hub.subscribe(Long.parseLong(r.param("heartbeat")), "{\"hello\":true}") : Response.text(404, "no\n")),
            1 << 16, executor, m -> { });
        port = server.start(boss, workers, "127.0.0.1", 0);
    }

    @AfterEach
    void stop()
    {
        hub.close();
        server.close();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        executor.shutdownNow();
    }

    /** A client reading everything the server sends into a buffer, on its own thread. */
    private static final class Reader implements AutoCloseable
    {
        final Socket socket;
        final StringBuffer text = new StringBuffer();
        final Thread thread;

        Reader(final int port, final long heartbeatMillis) throws IOException
        {
            socket = new Socket("127.0.0.1", port);
            socket.getOutputStream().write(("GET /events?heartbeat=" + heartbeatMillis + " HTTP/1.1\r\nHost: x\r\n" +
                "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            thread = new Thread(() ->
            {
                final byte[] buffer = new byte[8192];
                try (InputStream in = socket.getInputStream())
                {
                    int n;
                    while ((n = in.read(buffer)) > 0)
                    {
                        text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                }
                catch (final IOException closed)
                {
                    // the test closed it
                }
            }, "sse-reader");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException
        {
            socket.close();
        }
    }

    private static void await(final String what, final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void streamsTheHelloHeartbeatsAndEventsAndForgetsAClientThatLeaves() throws Exception
    {
        try (Reader client = new Reader(port, 100))
        {
            await("the head and the hello", () -> client.text.toString().contains("event: hello\ndata: {\"hello\":true}\n\n"));
            final String head = client.text.toString();
            assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("content-type: text/event-stream")
                .containsIgnoringCase("transfer-encoding: chunked").containsIgnoringCase("cache-control: no-cache")
                .contains("retry: 2000\n");
            await("two heartbeats", () -> client.text.toString().split("event: heartbeat\ndata: \\{\"time\":").length > 2);
            await("the client registered", () -> hub.clients() == 1);
            hub.publish("signal", "{\"id\":\"s1\"}");
            hub.publish("note", "first line\nsecond line");
            await("both events", () -> client.text.toString().contains("event: note\ndata: first line\ndata: second line\n\n"));
            assertThat(client.text.toString()).contains("event: signal\ndata: {\"id\":\"s1\"}\n\n");
            assertThat(client.text.indexOf("event: signal")).isLessThan(client.text.indexOf("event: note"));
        }
        await("the closed client forgotten", () -> hub.clients() == 0);
        assertThat(hub.opened()).isEqualTo(1);
        assertThat(hub.dropped()).isZero();
        hub.publish("signal", "{}"); // nobody listening: nothing to do, nothing fails
    }

    @Test
    void aClientThatStopsReadingIsDroppedWithoutHoldingUpThePublisherOrOthers() throws Exception
    {
        final Socket stalled = new Socket();
        stalled.setReceiveBufferSize(4096);
        stalled.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        stalled.getOutputStream().write("GET /events?heartbeat=60000 HTTP/1.1\r\nHost: x\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        try (Reader healthy = new Reader(port, 60_000))
        {
            await("both registered", () -> hub.clients() == 2);
            final String payload = "{\"pad\":\"" + "x".repeat(4000) + "\"}";
            // The stalled client reads nothing: its socket buffers fill, then its queue, then it is dropped.
            // The healthy one reads; events are paced so that it keeps up.
            int sent = 0;
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (hub.dropped() == 0)
            {
                assertThat(System.nanoTime() - deadline).as("the stalled client dropped within " + WAIT).isNegative();
                hub.publish("bulk", payload);
                sent++;
                final int expected = sent;
                await("the healthy client keeps up", () -> count(healthy.text, "event: bulk") >= expected);
            }
            assertThat(hub.dropped()).isEqualTo(1);
            await("only the healthy client left", () -> hub.clients() == 1);
            hub.publish("after", "{\"still\":\"here\"}");
            await("the healthy client still served", () -> healthy.text.toString().contains("event: after"));
            // The stalled connection was closed by the server: once the client reads what is buffered, it ends.
            stalled.setSoTimeout((int)WAIT.toMillis());
            final InputStream in = stalled.getInputStream();
            final byte[] buffer = new byte[65536];
            int n;
            long read = 0;
            while ((n = in.read(buffer)) > 0)
            {
                read += n;
            }
            assertThat(n).as("end of stream after " + read + " bytes").isEqualTo(-1);
            assertThat(read).isLessThan((long)sent * payload.length());
        }
        finally
        {
            stalled.close();
        }
    }

    private int counted;
    private int countedTo;

    /** Occurrences of what in the text so far, scanning only what arrived since the last call. */
    private int count(final StringBuffer text, final String what)
    {
        int at = text.indexOf(what, countedTo);
        while (at >= 0)
        {
            counted++;
            countedTo = at + what.length();
            at = text.indexOf(what, countedTo);
        }
        return counted;
    }
}
