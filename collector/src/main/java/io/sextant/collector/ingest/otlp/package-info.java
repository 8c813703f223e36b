/**
 * OTLP/HTTP receiver (port 4318): {@code /v1/metrics}, {@code /v1/logs}, {@code /v1/traces} in
 * protobuf and JSON, gzip bodies. Requests are journaled (as protobuf) before the response; the
 * store tailer maps them into the same store as agent data.
 */
package io.sextant.collector.ingest.otlp;
