package io.sextant.collector.ingest.otlp;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.sextant.collector.http.HttpHandler;
import io.sextant.collector.http.Request;
import io.sextant.collector.http.Response;
import io.sextant.collector.journal.JournalClient;
import io.sextant.collector.journal.JournalRecord;
import io.sextant.collector.journal.JournalRing;
import io.sextant.collector.store.SeriesStore;
import io.sextant.collector.store.StoreTailer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OTLP/HTTP endpoints. Each request body (protobuf, or JSON converted to protobuf) is journaled as one
 * record; the response is sent once the journal writer reports it journaled, with the same
 * guarantee as an agent ACK. Responses follow the OTLP/HTTP spec: 200 with an Export*ServiceResponse
 * (partial success when some items are invalid), 400 with a {@code google.rpc.Status} for a
 * malformed body, 413 when too large, 503 with {@code Retry-After} when the journal ring is full,
 * 415 for an unknown content type.
 *
 * <p>Threads: {@link #handle} runs on HTTP executor threads; the {@link JournalClient} callbacks on
 * the journal-writer thread complete the pending responses.
 */
public final class OtlpReceiver implements HttpHandler, JournalClient
{
    private static final String PROTOBUF = "application/x-protobuf";
    private static final String JSON = "application/json";

    private final JournalRing ring;
    private final SeriesStore store;
    private final EpochClock clock;
    private final int maxBody;
    private final int slot;
    private final AtomicLong requestIds = new AtomicLong();
    private final Map<Long, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong tooLarge = new AtomicLong();
    private final AtomicLong points = new AtomicLong();
    private final AtomicLong logRecords = new AtomicLong();
    private final AtomicLong spans = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile java.util.function.BooleanSupplier behind = () -> false;

    public OtlpReceiver(final JournalRing ring, final SeriesStore store, final EpochClock clock, final int maxBody)
    {
        this.ring = ring;
        this.store = store;
        this.clock = clock;
        this.maxBody = maxBody;
        this.slot = ring.register(this);
    }

    /**
     * Registers the mapping of journaled OTLP records into the store.
     */
    /**
     * Sets the check that says the store or the analysis is too far behind: while it answers true,
     * requests get 503 with Retry-After, as when the journal ring is full.
     */
    public void downstreamBehind(final java.util.function.BooleanSupplier behind)
    {
        this.behind = behind;
    }

    public void registerAppliers(final StoreTailer tailer)
    {
        final OtlpApplier applier = new OtlpApplier(store);
        tailer.register(JournalRecord.KIND_OTLP_METRICS, applier::applyMetrics);
        tailer.register(JournalRecord.KIND_OTLP_LOGS, applier::applyLogs);
        tailer.register(JournalRecord.KIND_OTLP_TRACES, applier::applyTraces);
        tailer.register("otlp", applier);
    }

    @Override
    public CompletableFuture<Response> handle(final Request request)
    {
        final String path = request.path();
        final int kind;
        switch (path)
        {
            case "/v1/metrics": kind = JournalRecord.KIND_OTLP_METRICS; break;
            case "/v1/logs": kind = JournalRecord.KIND_OTLP_LOGS; break;
            case "/v1/traces": kind = JournalRecord.KIND_OTLP_TRACES; break;
            default:
                return done(status(404, JSON, 5, "no OTLP endpoint " + path + "; use /v1/metrics, /v1/logs or /v1/traces"));
        }
        final String contentType = contentType(request);
        if (!request.method().equals("POST"))
        {
            return done(status(405, contentType, 12, "use POST"));
        }
        if (!contentType.equals(PROTOBUF) && !contentType.equals(JSON))
        {
            return done(status(415, JSON, 3, "unsupported Content-Type '" + request.header("content-type") +
                "': use application/x-protobuf or application/json"));
        }
        requests.incrementAndGet();
        final byte[] bytes;
        final long rejectedItems;
        final String rejectedReason;
        try
        {
            final Parsed parsed = parse(kind, request.body(), contentType.equals(JSON));
            bytes = parsed.bytes;
            rejectedItems = parsed.rejected;
            rejectedReason = parsed.reason;
        }
        catch (final IOException ex)
        {
            malformed.incrementAndGet();
            return done(status(400, contentType, 3, "malformed OTLP " + (contentType.equals(JSON) ? "JSON" : "protobuf") +
                " body for " + path + ": " + ex.getMessage()));
        }
        if (JournalRecord.HEADER_LENGTH + bytes.length > ring.maxRecordLength() || bytes.length > maxBody)
        {
            tooLarge.incrementAndGet();
            return done(status(413, contentType, 8, "request of " + bytes.length + " bytes is larger than the " +
                Math.min(maxBody, ring.maxRecordLength() - JournalRecord.HEADER_LENGTH) + " bytes this collector accepts"));
        }
        if (behind.getAsBoolean())
        {
            throttled.incrementAndGet();
            return done(status(503, contentType, 14, "the collector's store or analysis is behind; retry later")
                .withHeader("Retry-After", "1"));
        }
        final long id = requestIds.incrementAndGet();
        final CompletableFuture<Void> journaled = new CompletableFuture<>();
        pending.put(id, journaled);
        if (!ring.offer(kind, slot, id, 0, 0, 0, clock.time() * 1_000_000L, new UnsafeBuffer(bytes), 0, bytes.length))
        {
            pending.remove(id);
            throttled.incrementAndGet();
            return done(status(503, contentType, 14, "the collector journal is behind; retry later")
                .withHeader("Retry-After", "1"));
        }
        return journaled.thenApply(v -> success(kind, contentType, rejectedItems, rejectedReason));
    }

    private record Parsed(byte[] bytes, long rejected, String reason)
    {
    }

    private Parsed parse(final int kind, final byte[] body, final boolean json) throws IOException
    {
        try
        {
            switch (kind)
            {
                case JournalRecord.KIND_OTLP_METRICS:
                {
                    if (!json)
                    {
                        // Validated and counted in one pass, journaled as it came: no objects, no re-encoding.
                        final MetricsFastPath.Scan scan = MetricsFastPath.scan(body);
                        points.addAndGet(scan.points());
                        rejected.addAndGet(scan.rejected());
                        return new Parsed(body, scan.rejected(), scan.rejected() > 0 ?
                            "metrics without a name or data were rejected" : "");
                    }
                    final ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
                    if (json)
                    {
                        OtlpJson.merge(body, b);
                    }
                    else
                    {
                        b.mergeFrom(body);
                    }
                    long bad = 0;
                    long count = 0;
                    for (final ResourceMetrics rm : b.getResourceMetricsList())
                    {
                        for (final ScopeMetrics sm : rm.getScopeMetricsList())
                        {
                            for (final Metric m : sm.getMetricsList())
                            {
                                final long n = OtlpApplier.pointCount(m);
                                count += n;
                                if (m.getName().isEmpty() || m.getDataCase() == Metric.DataCase.DATA_NOT_SET)
                                {
                                    bad += Math.max(1, n);
                                }
                            }
                        }
                    }
                    points.addAndGet(count);
                    rejected.addAndGet(bad);
                    return new Parsed(b.build().toByteArray(), bad, bad > 0 ? "metrics without a name or data were rejected" : "");
                }
                case JournalRecord.KIND_OTLP_LOGS:
                {
                    final ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
                    if (json)
                    {
                        OtlpJson.merge(body, b);
                    }
                    else
                    {
                        b.mergeFrom(body);
                    }
                    for (final ResourceLogs rl : b.getResourceLogsList())
                    {
                        for (final ScopeLogs sl : rl.getScopeLogsList())
                        {
                            logRecords.addAndGet(sl.getLogRecordsCount());
                        }
                    }
                    return new Parsed(b.build().toByteArray(), 0, "");
                }
                default:
                {
                    final ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
                    if (json)
                    {
                        OtlpJson.merge(body, b);
                    }
                    else
                    {
                        b.mergeFrom(body);
                    }
                    long bad = 0;
                    for (final ResourceSpans rs : b.getResourceSpansList())
                    {
                        for (final ScopeSpans ss : rs.getScopeSpansList())
                        {
                            spans.addAndGet(ss.getSpansCount());
                            for (final Span s : ss.getSpansList())
                            {
                                if (s.getTraceId().size() != 16 || s.getSpanId().size() != 8)
                                {
                                    bad++;
                                }
                            }
                        }
                    }
                    rejected.addAndGet(bad);
                    return new Parsed(b.build().toByteArray(), bad, bad > 0 ? "spans with invalid trace or span ids were rejected" : "");
                }
            }
        }
        catch (final InvalidProtocolBufferException ex)
        {
            throw new IOException(ex.getMessage(), ex);
        }
    }

    private Response success(final int kind, final String contentType, final long rejectedItems, final String reason)
    {
        final Message response;
        switch (kind)
        {
            case JournalRecord.KIND_OTLP_METRICS:
                response = rejectedItems == 0 ? ExportMetricsServiceResponse.getDefaultInstance() :
                    ExportMetricsServiceResponse.newBuilder().setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                        .setRejectedDataPoints(rejectedItems).setErrorMessage(reason)).build();
                break;
            case JournalRecord.KIND_OTLP_LOGS:
                response = rejectedItems == 0 ? ExportLogsServiceResponse.getDefaultInstance() :
                    ExportLogsServiceResponse.newBuilder().setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                        .setRejectedLogRecords(rejectedItems).setErrorMessage(reason)).build();
                break;
            default:
                response = rejectedItems == 0 ? ExportTraceServiceResponse.getDefaultInstance() :
                    ExportTraceServiceResponse.newBuilder().setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                        .setRejectedSpans(rejectedItems).setErrorMessage(reason)).build();
                break;
        }
        try
        {
            return contentType.equals(JSON) ? new Response(200, JSON, OtlpJson.print(response), Map.of()) :
                new Response(200, PROTOBUF, response.toByteArray(), Map.of());
        }
        catch (final IOException ex)
        {
            return status(500, contentType, 13, ex.toString());
        }
    }

    private static String contentType(final Request request)
    {
        final String type = request.header("content-type");
        if (type == null)
        {
            return PROTOBUF;
        }
        final String t = type.toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith(JSON))
        {
            return JSON;
        }
        if (t.startsWith(PROTOBUF) || t.startsWith("application/protobuf"))
        {
            return PROTOBUF;
        }
        return t;
    }

    /**
     * An error response whose body is a {@code google.rpc.Status} (code, message) in the request's encoding.
     */
    static Response status(final int httpStatus, final String contentType, final int grpcCode, final String message)
    {
        if (JSON.equals(contentType))
        {
            final Map<String, Object> status = new LinkedHashMap<>();
            status.put("code", grpcCode);
            status.put("message", message);
            try
            {
                return new Response(httpStatus, JSON, new com.fasterxml.jackson.databind.ObjectMapper()
                    .writeValueAsBytes(status), Map.of());
            }
            catch (final IOException ex)
            {
                return Response.text(httpStatus, message);
            }
        }
        try
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeInt32(1, grpcCode);
            out.writeString(2, message);
            out.flush();
            return new Response(httpStatus, PROTOBUF, bytes.toByteArray(), Map.of());
        }
        catch (final IOException ex)
        {
            return Response.text(httpStatus, message);
        }
    }

    private static CompletableFuture<Response> done(final Response response)
    {
        return CompletableFuture.completedFuture(response);
    }

    /**
     * @return counters for self-metrics.
     */
    public Map<String, Object> stats()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", requests.get());
        m.put("malformed", malformed.get());
        m.put("throttled", throttled.get());
        m.put("too_large", tooLarge.get());
        m.put("points", points.get());
        m.put("log_records", logRecords.get());
        m.put("spans", spans.get());
        m.put("rejected", rejected.get());
        return m;
    }

    // ---- JournalClient: journal-writer thread ----

    @Override
    public boolean admit(final DirectBuffer buffer, final int offset, final int length)
    {
        return true;
    }

    @Override
    public void journaled(final DirectBuffer buffer, final int offset, final int length)
    {
        final CompletableFuture<Void> f = pending.remove(JournalRecord.connectionId(buffer, offset));
        if (f != null)
        {
            f.complete(null);
        }
    }

    @Override
    public void batchDone()
    {
    }
}
