package io.sextant.collector.http;

import java.util.List;
import java.util.Map;

/**
 * A transport-agnostic HTTP request.
 *
 * @param method  upper-case method.
 * @param path    path without the query string.
 * @param params  query parameters (decoded), each with all its values.
 * @param headers request headers, names in lower case.
 * @param body    the body (already gunzipped when Content-Encoding was gzip), or empty.
 */
public record Request(String method, String path, Map<String, List<String>> params, Map<String, String> headers,
    byte[] body)
{
    /**
     * @return the first value of a parameter, or null.
     */
    public String param(final String name)
    {
        final List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * @return a header value, or null.
     */
    public String header(final String name)
    {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
