/**
 * The query API under {@code /api/v1} (one JSON envelope: {@code status}, {@code data}, {@code error}),
 * self-metrics in Prometheus text format, and health endpoints. Handlers are transport-agnostic: they
 * take a {@link io.sextant.collector.http.Request} and return a {@link io.sextant.collector.http.Response}.
 */
package io.sextant.collector.api;
