package io.sextant.collector.http;

import java.util.concurrent.CompletableFuture;

/**
 * Handles a request; may complete later (for example once a body is journaled).
 */
public interface HttpHandler
{
    CompletableFuture<Response> handle(Request request);
}
