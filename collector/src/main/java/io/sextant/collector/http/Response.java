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
 */
public record Response(int status, String contentType, byte[] body, Map<String, String> headers)
{
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
        return new Response(status, contentType, body, Map.copyOf(h));
    }
}
