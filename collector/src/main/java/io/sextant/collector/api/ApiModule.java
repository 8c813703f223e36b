package io.sextant.collector.api;

import io.sextant.collector.http.Request;

/**
 * A group of query-API endpoints owned by another part of the collector. {@link QueryApi} asks each
 * module in turn; the first that answers wins.
 *
 * <p>Called on HTTP executor threads: a module reads published snapshots or thread-safe views, and
 * hands writes to their single writer.
 */
@FunctionalInterface
public interface ApiModule
{
    /**
     * Returned when a request succeeded with nothing to say ({@code "data": null}).
     */
    Object NO_DATA = new Object();

    /**
     * @param request the request.
     * @return null when the path is not this module's; a {@link io.sextant.collector.http.Response}
     *         to send as it is (a page, a stream, a custom status); {@link #NO_DATA}; or any other
     *         object, which is sent as the {@code data} of a success envelope (serialised by Jackson).
     * @throws BadParameterException for a bad parameter (400 naming it).
     * @throws ApiException          for another error with its status (404, 409, 503, ...).
     */
    Object respond(Request request);
}
