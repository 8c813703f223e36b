package io.sextant.collector.remediation;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on loopback that webhooks are pointed at. {@code /ok...} answers 200,
 * {@code /fail...} answers 500, {@code /hang...} never answers until {@link #close()}. Every request
 * body is kept by path.
 */
final class WebhookTarget implements AutoCloseable
{
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r ->
    {
        final Thread t = new Thread(r, "webhook-target");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, List<String>> bodies = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger hanging = new AtomicInteger();

    WebhookTarget() throws IOException
    {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url(final String path)
    {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(final HttpExchange exchange) throws IOException
    {
        final String path = exchange.getRequestURI().getPath();
        final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        bodies.computeIfAbsent(path, k -> new CopyOnWriteArrayList<>()).add(body);
        int status = 200;
        if (path.startsWith("/fail"))
        {
            status = 500;
        }
        else if (path.startsWith("/hang"))
        {
            hanging.incrementAndGet();
            try
            {
                release.await(60, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            hanging.decrementAndGet();
        }
        final byte[] answer = (status == 200 ? "received" : "broken").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, answer.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(answer);
        }
    }

    /** @return bodies received on a path, in arrival order. */
    List<String> received(final String path)
    {
        return bodies.getOrDefault(path, List.of());
    }

    /** @return requests on {@code /hang...} not answered yet. */
    int hanging()
    {
        return hanging.get();
    }

    @Override
    public void close()
    {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
