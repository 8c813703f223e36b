/**
 * Agent hot-path benchmarks: the application-thread cost of {@code sextant-api} bound to the
 * agent's real recording classes, measured beside the OpenTelemetry SDK doing the same work.
 */
package io.sextant.bench.agent;
