package io.sextant.collector.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * HTTP helpers for tests: GET JSON, and poll until a condition holds or a deadline passes.
 */
public final class Http
{
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A response: status and parsed JSON (null when not JSON). */
    public record Answer(int status, JsonNode json, String body)
    {
    }

    private Http()
    {
    }

    public static String enc(final String s)
    {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    public static Answer get(final int port, final String pathAndQuery)
    {
        try
        {
            final HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            JsonNode node = null;
            try
            {
                node = JSON.readTree(r.body());
            }
            catch (final IOException notJson)
            {
                // Plain text endpoints.
            }
            return new Answer(r.statusCode(), node, r.body());
        }
        catch (final IOException ex)
        {
            return new Answer(-1, null, ex.toString());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Polls GET until the predicate holds; fails after the timeout with the last answer.
     */
    public static Answer await(final int port, final String pathAndQuery, final Predicate<Answer> condition,
        final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        Answer last;
        do
        {
            last = get(port, pathAndQuery);
            if (condition.test(last))
            {
                return last;
            }
            Thread.onSpinWait();
            try
            {
                Thread.sleep(20); // poll interval, not a guess at completion: the deadline bounds the wait
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
        while (System.nanoTime() - deadline < 0);
        throw new AssertionError("condition not met within " + timeout + " for " + pathAndQuery + "; last answer: " +
            last.status() + " " + last.body());
    }
}
