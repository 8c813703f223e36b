package io.sextant.bench.rca;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Sends the simulated traces as OTLP/HTTP protobuf to the collector's OTLP port: one request per batch,
 * spans grouped by service as an OpenTelemetry SDK would. Single-threaded.
 */
final class SpanSender {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI uri;
    private final Map<String, ScopeSpans.Builder> pending = new LinkedHashMap<>();
    private final Random random;
    private int spans;
    private long requests;
    private long retries;

    SpanSender(int port, Random random) {
        this.uri = URI.create("http://127.0.0.1:" + port + "/v1/traces");
        this.random = random;
    }

    /** A new trace id. */
    ByteString traceId() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return ByteString.copyFrom(b);
    }

    /** Adds one server span; returns its span id for its children. */
    ByteString span(String service, String operation, ByteString traceId, ByteString parent, long startMillis,
                    double durationMillis, boolean error) {
        byte[] id = new byte[8];
        random.nextBytes(id);
        ByteString spanId = ByteString.copyFrom(id);
        long start = startMillis * 1_000_000L;
        Span.Builder s = Span.newBuilder().setTraceId(traceId).setSpanId(spanId).setName(operation)
                .setKind(Span.SpanKind.SPAN_KIND_SERVER).setStartTimeUnixNano(start)
                .setEndTimeUnixNano(start + (long) (durationMillis * 1_000_000L))
                .setStatus(Status.newBuilder().setCode(error ? Status.StatusCode.STATUS_CODE_ERROR
                        : Status.StatusCode.STATUS_CODE_OK));
        if (parent != null) {
            s.setParentSpanId(parent);
        }
        pending.computeIfAbsent(service, k -> ScopeSpans.newBuilder()).addSpans(s);
        spans++;
        return spanId;
    }

    int pendingSpans() {
        return spans;
    }

    void flush() throws IOException, InterruptedException {
        if (pending.isEmpty()) {
            return;
        }
        ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
        for (Map.Entry<String, ScopeSpans.Builder> e : pending.entrySet()) {
            req.addResourceSpans(ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAllAttributes(List.of(KeyValue.newBuilder()
                            .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue(e.getKey()))
                            .build())))
                    .addScopeSpans(e.getValue()));
        }
        pending.clear();
        spans = 0;
        byte[] body = req.build().toByteArray();
        // 503 is the collector's back-pressure (its store or analysis is behind): retry with a back-off, as an
        // OpenTelemetry exporter does, for as long as it keeps answering.
        long deadline = System.nanoTime() + 120_000_000_000L;
        long pause = 20;
        HttpResponse<String> r;
        while (true) {
            r = http.send(HttpRequest.newBuilder(uri)
                            .header("Content-Type", "application/x-protobuf")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 503 || System.nanoTime() - deadline > 0) {
                break;
            }
            retries++;
            Thread.sleep(pause);
            pause = Math.min(1000, pause * 2);
        }
        if (r.statusCode() != 200) {
            throw new IOException("OTLP traces answered " + r.statusCode() + ": " + r.body());
        }
        requests++;
    }

    long requests() {
        return requests;
    }

    /** Requests the collector answered 503 (behind) and that were sent again. */
    long retries() {
        return retries;
    }

}
