package io.sextant.collector.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A transport-agnostic HTTP response.
 *
 * @param status      HTTP status code.
 * @param contentType content type.
 * @param body        body bytes.
 * @param headers     extra headers (for example Retry-After).
 * @param stream      for a server-sent event stream: what writes the events once the head is sent; else null
 *                    (the body is the whole answer).
 */
public record Response(int status, String contentType, byte[] body, Map<String, String> headers, EventStream stream)
{
    public Response(final int status, final String contentType, final byte[] body, final Map<String, String> headers)
    {
        this(status, contentType, body, headers, null);
    }

    /**
     * A {@code text/event-stream} answer: the server sends its head, then hands the connection to the stream.
     */
    public static Response eventStream(final EventStream stream)
    {
        return new Response(200, "text/event-stream; charset=utf-8", new byte[0],
            Map.of("Cache-Control", "no-cache", "X-Accel-Buffering", "no"), stream);
    }

    public static Response text(final int status, final String text)
    {
        return new Response(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static Response json(final int status, final byte[] json)
    {
        return new Response(status, "application/json", json, Map.of());
    }

    public Response withHeader(final String name, final String value)
    {
        final java.util.HashMap<String, String> h = new java.util.HashMap<>(headers);
        h.put(name, value);
        return new Response(status, contentType, body, Map.copyOf(h), stream);
    }
}
