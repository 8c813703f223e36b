package io.sextant.collector.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * A tiny application for {@code OtelJavaAgentIT}: run in a child JVM with the OpenTelemetry Java agent,
 * it calls a URL with the JDK HTTP client (client spans) and logs through java.util.logging, until
 * killed or after two minutes. Depends on the JDK only.
 */
public final class OtelDemoApp
{
    private OtelDemoApp()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Logger log = Logger.getLogger("demo.Worker");
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        final long end = System.nanoTime() + 120_000_000_000L;
        int i = 0;
        while (System.nanoTime() - end < 0)
        {
            final HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(args[0])).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            if (i++ % 10 == 0)
            {
                log.warning("demo call " + i + " answered " + r.statusCode());
            }
            Thread.sleep(100);
        }
    }
}
