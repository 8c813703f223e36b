/**
 * A small Netty HTTP/1.1 server that adapts requests to transport-agnostic handlers
 * ({@link io.sextant.collector.http.HttpHandler}): the query API and the OTLP receiver plug in here.
 */
package io.sextant.collector.http;
