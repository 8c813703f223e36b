package io.sextant.collector.ingest.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.sextant.collector.journal.JournalRecord;
import io.sextant.collector.store.HistogramSeries;
import io.sextant.collector.store.LogEntry;
import io.sextant.collector.store.MetricSeries;
import io.sextant.collector.store.Series;
import io.sextant.collector.store.SeriesStore;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps journaled OTLP requests into the store. Store tailer thread only; all state here is derived
 * from the journal, so a replay rebuilds it.
 *
 * <ul>
 *   <li>gauge and non-monotonic sum: gauge series; monotonic sum: counter series (delta sums are
 *       accumulated into a cumulative counter);</li>
 *   <li>histogram and exponential histogram: histogram series of interval snapshots (cumulative points
 *       are differenced against the previous point; each bucket is recorded at a representative value;
 *       values in seconds are stored in milliseconds); also {@code <name>.count} and {@code <name>.sum}
 *       counters;</li>
 *   <li>summary: one gauge per quantile ({@code quantile} label);</li>
 *   <li>logs: the log store (severity number mapped to a level, the scope name as logger);</li>
 *   <li>spans: per service and operation {@code sextant.span.calls} (counter, label {@code status}) and
 *       {@code sextant.span.duration} (histogram, ns); caller to callee edges as
 *       {@code sextant.dependency.calls{caller, callee}} counters, found from parent spans of another
 *       service (in either arrival order); client spans' {@code peer.service} counts separately as
 *       {@code sextant.dependency.declared_calls} (reaches callees that send no spans).</li>
 * </ul>
 */
final class OtlpApplier implements io.sextant.collector.store.CheckpointState
{
    private static final int SPAN_MEMORY = 100_000;

    private final SeriesStore store;
    private final Map<Series, Double> cumulative = new HashMap<>();
    private final Map<Series, long[]> previousBuckets = new HashMap<>();
    private final Map<String, String> spanService = new LinkedHashMap<>(1024, 0.75f, false)
    {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, String> eldest)
        {
            return size() > SPAN_MEMORY;
        }
    };
    /** Parent span id to the service of a child that arrived before its parent (children end first). */
    private final Map<String, String> orphans = new LinkedHashMap<>(1024, 0.75f, false)
    {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, String> eldest)
        {
            return size() > SPAN_MEMORY;
        }
    };
    private byte[] scratch = new byte[0];

    private final MetricsFastPath fastPath;

    OtlpApplier(final SeriesStore store)
    {
        this.store = store;
        this.fastPath = new MetricsFastPath(store, cumulative, this::metric);
    }

    @Override
    public void save(final io.sextant.collector.store.CheckpointOut out)
    {
        out.putInt(cumulative.size());
        for (final Map.Entry<Series, Double> e : cumulative.entrySet())
        {
            out.putInt(e.getKey().id()).putDouble(e.getValue());
        }
        out.putInt(previousBuckets.size());
        for (final Map.Entry<Series, long[]> e : previousBuckets.entrySet())
        {
            out.putInt(e.getKey().id()).putLongs(e.getValue(), e.getValue().length);
        }
        out.putMap(spanService).putMap(orphans);
    }

    @Override
    public void load(final io.sextant.collector.store.CheckpointIn in, final SeriesStore store)
    {
        cumulative.clear();
        previousBuckets.clear();
        spanService.clear();
        orphans.clear();
        final int n = in.getCount(12);
        for (int i = 0; i < n; i++)
        {
            cumulative.put(series(store, in.getInt()), in.getDouble());
        }
        final int b = in.getCount(8);
        for (int i = 0; i < b; i++)
        {
            previousBuckets.put(series(store, in.getInt()), in.getLongs());
        }
        loadOrdered(in, spanService);
        loadOrdered(in, orphans);
    }

    private static Series series(final SeriesStore store, final int id)
    {
        final Series s = store.byId(id);
        if (s == null)
        {
            throw new IllegalStateException("checkpoint OTLP state refers to unknown series " + id);
        }
        return s;
    }

    /** Reads a map written by putMap in its original (insertion) order, so eviction stays oldest-first. */
    private static void loadOrdered(final io.sextant.collector.store.CheckpointIn in, final Map<String, String> into)
    {
        final int n = in.getCount(8);
        for (int i = 0; i < n; i++)
        {
            into.put(in.getString(), in.getString());
        }
    }

    static long pointCount(final Metric m)
    {
        switch (m.getDataCase())
        {
            case GAUGE: return m.getGauge().getDataPointsCount();
            case SUM: return m.getSum().getDataPointsCount();
            case HISTOGRAM: return m.getHistogram().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM: return m.getExponentialHistogram().getDataPointsCount();
            case SUMMARY: return m.getSummary().getDataPointsCount();
            default: return 0;
        }
    }

    private byte[] body(final DirectBuffer buffer, final int length)
    {
        final int n = length - JournalRecord.HEADER_LENGTH;
        if (scratch.length != n)
        {
            scratch = new byte[n];
        }
        buffer.getBytes(JournalRecord.HEADER_LENGTH, scratch, 0, n);
        return scratch;
    }

    private static Map<String, String> resourceLabels(final Resource resource)
    {
        final Map<String, String> labels = new HashMap<>();
        String service = "unknown_service";
        for (final KeyValue kv : resource.getAttributesList())
        {
            if (kv.getKey().equals("service.name"))
            {
                service = text(kv.getValue());
            }
            else if (kv.getKey().equals("service.instance.id"))
            {
                labels.put("instance", text(kv.getValue()));
            }
        }
        labels.put("service", service);
        return labels;
    }

    private static Map<String, String> labels(final Map<String, String> resource, final List<KeyValue> attributes)
    {
        final Map<String, String> labels = new HashMap<>(resource);
        for (final KeyValue kv : attributes)
        {
            labels.put(kv.getKey(), text(kv.getValue()));
        }
        return labels;
    }

    static String text(final AnyValue v)
    {
        switch (v.getValueCase())
        {
            case STRING_VALUE: return v.getStringValue();
            case BOOL_VALUE: return Boolean.toString(v.getBoolValue());
            case INT_VALUE: return Long.toString(v.getIntValue());
            case DOUBLE_VALUE: return Double.toString(v.getDoubleValue());
            case BYTES_VALUE: return HexFormat.of().formatHex(v.getBytesValue().toByteArray());
            case ARRAY_VALUE: return v.getArrayValue().getValuesList().stream().map(OtlpApplier::text).toList().toString();
            case KVLIST_VALUE:
            {
                final Map<String, String> m = new LinkedHashMap<>();
                for (final KeyValue kv : v.getKvlistValue().getValuesList())
                {
                    m.put(kv.getKey(), text(kv.getValue()));
                }
                return m.toString();
            }
            default: return "";
        }
    }

    void applyMetrics(final DirectBuffer buffer, final int length)
    {
        final byte[] body = body(buffer, length);
        try
        {
            fastPath.apply(body, 0, body.length);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("journaled OTLP metrics request no longer decodes: " + ex.getMessage(), ex);
        }
    }

    private void metric(final Map<String, String> resource, final Metric m)
    {
        final String name = m.getName();
        final String unit = m.getUnit();
        switch (m.getDataCase())
        {
            case GAUGE:
                for (final NumberDataPoint p : m.getGauge().getDataPointsList())
                {
                    store.append(store.metric(name, Series.Kind.GAUGE, unit, labels(resource, p.getAttributesList())),
                        p.getTimeUnixNano() / 1_000_000L, number(p));
                }
                break;
            case SUM:
            {
                final boolean monotonic = m.getSum().getIsMonotonic();
                final boolean delta = m.getSum().getAggregationTemporality() ==
                    AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
                for (final NumberDataPoint p : m.getSum().getDataPointsList())
                {
                    final MetricSeries s = store.metric(name, monotonic ? Series.Kind.COUNTER : Series.Kind.GAUGE, unit,
                        labels(resource, p.getAttributesList()));
                    double v = number(p);
                    if (delta && s != null)
                    {
                        v = cumulative.merge(s, v, Double::sum);
                    }
                    store.append(s, p.getTimeUnixNano() / 1_000_000L, v);
                }
                break;
            }
            case HISTOGRAM:
            {
                final boolean delta = m.getHistogram().getAggregationTemporality() ==
                    AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
                for (final HistogramDataPoint p : m.getHistogram().getDataPointsList())
                {
                    explicitHistogram(name, unit, labels(resource, p.getAttributesList()), p, delta);
                }
                break;
            }
            case EXPONENTIAL_HISTOGRAM:
            {
                final boolean delta = m.getExponentialHistogram().getAggregationTemporality() ==
                    AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
                for (final ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList())
                {
                    exponentialHistogram(name, unit, labels(resource, p.getAttributesList()), p, delta);
                }
                break;
            }
            case SUMMARY:
                for (final SummaryDataPoint p : m.getSummary().getDataPointsList())
                {
                    for (final SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList())
                    {
                        final Map<String, String> labels = labels(resource, p.getAttributesList());
                        labels.put("quantile", Double.toString(q.getQuantile()));
                        store.append(store.metric(name, Series.Kind.GAUGE, unit, labels),
                            p.getTimeUnixNano() / 1_000_000L, q.getValue());
                    }
                }
                break;
            default:
                break;
        }
    }

    private static double number(final NumberDataPoint p)
    {
        return p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
    }

    private static double scale(final String unit)
    {
        return "s".equals(unit) ? 1000.0 : 1.0;
    }

    private static String scaledUnit(final String unit)
    {
        return "s".equals(unit) ? "ms" : unit;
    }

    /**
     * @return interval counts: the point's counts for delta temporality, else the difference from the
     *         previous point of the series (the point itself after a reset).
     */
    private long[] interval(final Series s, final long[] counts, final boolean delta)
    {
        if (delta || s == null)
        {
            return counts;
        }
        final long[] previous = previousBuckets.put(s, counts.clone());
        if (previous == null || previous.length != counts.length)
        {
            return counts;
        }
        final long[] out = new long[counts.length];
        for (int i = 0; i < counts.length; i++)
        {
            out[i] = counts[i] - previous[i];
            if (out[i] < 0)
            {
                return counts;
            }
        }
        return out;
    }

    private void explicitHistogram(final String name, final String unit, final Map<String, String> labels,
        final HistogramDataPoint p, final boolean delta)
    {
        final long time = p.getTimeUnixNano() / 1_000_000L;
        final HistogramSeries series = store.histogram(name, scaledUnit(unit), labels);
        final long[] counts = p.getBucketCountsList().stream().mapToLong(Long::longValue).toArray();
        final long[] interval = interval(series, counts, delta);
        final double scale = scale(unit);
        final Histogram h = newHistogram();
        final List<Double> bounds = p.getExplicitBoundsList();
        for (int i = 0; i < interval.length; i++)
        {
            if (interval[i] <= 0)
            {
                continue;
            }
            final double value;
            if (i < bounds.size())
            {
                final double lower = i == 0 ? (p.hasMin() ? Math.min(p.getMin(), bounds.get(0)) : 0) : bounds.get(i - 1);
                value = (lower + bounds.get(i)) / 2.0;
            }
            else
            {
                value = p.hasMax() ? p.getMax() : bounds.isEmpty() ? 0 : bounds.get(bounds.size() - 1);
            }
            h.recordValueWithCount(Math.max(0, Math.round(value * scale)), interval[i]);
        }
        store.append(series, time, h);
        counters(name, unit, labels, time, p.getCount(), p.getSum(), delta);
    }

    private void exponentialHistogram(final String name, final String unit, final Map<String, String> labels,
        final ExponentialHistogramDataPoint p, final boolean delta)
    {
        final long time = p.getTimeUnixNano() / 1_000_000L;
        final HistogramSeries series = store.histogram(name, scaledUnit(unit), labels);
        final List<Long> positive = p.getPositive().getBucketCountsList();
        final long[] counts = new long[positive.size() + 1];
        counts[0] = p.getZeroCount();
        for (int i = 0; i < positive.size(); i++)
        {
            counts[i + 1] = positive.get(i);
        }
        final long[] interval = interval(series, counts, delta);
        final double base = Math.pow(2, Math.pow(2, -p.getScale()));
        final double scale = scale(unit);
        final Histogram h = newHistogram();
        if (interval[0] > 0)
        {
            h.recordValueWithCount(0, interval[0]);
        }
        for (int i = 1; i < interval.length; i++)
        {
            if (interval[i] > 0)
            {
                final int index = p.getPositive().getOffset() + i - 1;
                final double value = Math.pow(base, index + 0.5);
                h.recordValueWithCount(Math.max(0, Math.round(value * scale)), interval[i]);
            }
        }
        store.append(series, time, h);
        counters(name, unit, labels, time, p.getCount(), p.getSum(), delta);
    }

    private void counters(final String name, final String unit, final Map<String, String> labels, final long time,
        final long count, final double sum, final boolean delta)
    {
        final MetricSeries countSeries = store.metric(name + ".count", Series.Kind.COUNTER, "1", labels);
        final MetricSeries sumSeries = store.metric(name + ".sum", Series.Kind.COUNTER, unit, labels);
        store.append(countSeries, time, delta && countSeries != null ?
            cumulative.merge(countSeries, (double)count, Double::sum) : count);
        store.append(sumSeries, time, delta && sumSeries != null ? cumulative.merge(sumSeries, sum, Double::sum) : sum);
    }

    private static Histogram newHistogram()
    {
        final Histogram h = new Histogram(2);
        h.setAutoResize(true);
        return h;
    }

    void applyLogs(final DirectBuffer buffer, final int length)
    {
        final ExportLogsServiceRequest request;
        try
        {
            request = ExportLogsServiceRequest.parseFrom(body(buffer, length));
        }
        catch (final InvalidProtocolBufferException ex)
        {
            throw new IllegalStateException(ex);
        }
        final long received = JournalRecord.receivedNanos(buffer, 0);
        for (final ResourceLogs rl : request.getResourceLogsList())
        {
            final Map<String, String> resource = resourceLabels(rl.getResource());
            final String service = resource.get("service");
            final String instance = resource.getOrDefault("instance", "");
            for (final ScopeLogs sl : rl.getScopeLogsList())
            {
                for (final LogRecord r : sl.getLogRecordsList())
                {
                    final Map<String, String> attributes = new HashMap<>();
                    String exceptionClass = "";
                    for (final KeyValue kv : r.getAttributesList())
                    {
                        if (kv.getKey().equals("exception.type"))
                        {
                            exceptionClass = text(kv.getValue());
                        }
                        attributes.put(kv.getKey(), text(kv.getValue()));
                    }
                    final long time = r.getTimeUnixNano() != 0 ? r.getTimeUnixNano() :
                        r.getObservedTimeUnixNano() != 0 ? r.getObservedTimeUnixNano() : received;
                    store.append(new LogEntry(time, service, instance, level(r), sl.getScope().getName(),
                        attributes.getOrDefault("thread.name", ""), "", text(r.getBody()), exceptionClass,
                        hex(r.getTraceId()), hex(r.getSpanId()), attributes));
                }
            }
        }
    }

    private static String level(final LogRecord r)
    {
        final int n = r.getSeverityNumberValue();
        if (n >= 21)
        {
            return "FATAL";
        }
        if (n >= 17)
        {
            return "ERROR";
        }
        if (n >= 13)
        {
            return "WARN";
        }
        if (n >= 9)
        {
            return "INFO";
        }
        if (n >= 5)
        {
            return "DEBUG";
        }
        if (n >= 1)
        {
            return "TRACE";
        }
        final String t = r.getSeverityText().toUpperCase(java.util.Locale.ROOT);
        if (t.startsWith("WARN"))
        {
            return "WARN";
        }
        return LogEntry.rank(t) >= 0 ? t : "INFO";
    }

    private static String hex(final ByteString bytes)
    {
        return bytes.isEmpty() ? "" : HexFormat.of().formatHex(bytes.toByteArray());
    }

    void applyTraces(final DirectBuffer buffer, final int length)
    {
        final ExportTraceServiceRequest request;
        try
        {
            request = ExportTraceServiceRequest.parseFrom(body(buffer, length));
        }
        catch (final InvalidProtocolBufferException ex)
        {
            throw new IllegalStateException(ex);
        }
        final Map<HistogramSeries, Histogram> durations = new HashMap<>();
        final Map<MetricSeries, Long> lastTimes = new HashMap<>();
        // First pass: remember which service owns each span, so parents in the same request resolve.
        for (final ResourceSpans rs : request.getResourceSpansList())
        {
            final String service = resourceLabels(rs.getResource()).get("service");
            for (final ScopeSpans ss : rs.getScopeSpansList())
            {
                for (final Span span : ss.getSpansList())
                {
                    spanService.put(hex(span.getSpanId()), service);
                }
            }
        }
        for (final ResourceSpans rs : request.getResourceSpansList())
        {
            final Map<String, String> resource = resourceLabels(rs.getResource());
            final String service = resource.get("service");
            for (final ScopeSpans ss : rs.getScopeSpansList())
            {
                for (final Span span : ss.getSpansList())
                {
                    if (span.getTraceId().size() != 16 || span.getSpanId().size() != 8)
                    {
                        continue;
                    }
                    final long end = span.getEndTimeUnixNano() / 1_000_000L;
                    final boolean error = span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
                    final Map<String, String> labels = new HashMap<>(resource);
                    labels.put("operation", span.getName());
                    labels.put("span_kind", span.getKind().name().replace("SPAN_KIND_", "").toLowerCase(java.util.Locale.ROOT));
                    final HistogramSeries duration = store.histogram("sextant.span.duration", "ns", labels);
                    if (duration != null)
                    {
                        durations.computeIfAbsent(duration, k -> newHistogram())
                            .recordValue(Math.max(0, span.getEndTimeUnixNano() - span.getStartTimeUnixNano()));
                    }
                    labels.put("status", error ? "error" : "ok");
                    count(store.metric("sextant.span.calls", Series.Kind.COUNTER, "1", labels), end, lastTimes);

                    if (!span.getParentSpanId().isEmpty())
                    {
                        final String parentId = hex(span.getParentSpanId());
                        final String parentService = spanService.get(parentId);
                        if (parentService == null)
                        {
                            orphans.put(parentId, service);
                        }
                        else if (!parentService.equals(service))
                        {
                            edge(parentService, service, end, lastTimes);
                        }
                    }
                    final String orphanService = orphans.remove(hex(span.getSpanId()));
                    if (orphanService != null && !orphanService.equals(service))
                    {
                        edge(service, orphanService, end, lastTimes);
                    }
                    if (span.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
                    {
                        for (final KeyValue kv : span.getAttributesList())
                        {
                            if (kv.getKey().equals("peer.service"))
                            {
                                count(store.metric("sextant.dependency.declared_calls", Series.Kind.COUNTER, "1",
                                    Map.of("caller", service, "callee", text(kv.getValue()))), end, lastTimes);
                            }
                        }
                    }
                }
            }
        }
        for (final Map.Entry<HistogramSeries, Histogram> e : durations.entrySet())
        {
            store.append(e.getKey(), e.getKey().lastTimeMillis() == 0 ?
                JournalRecord.receivedNanos(buffer, 0) / 1_000_000L :
                Math.max(e.getKey().lastTimeMillis(), JournalRecord.receivedNanos(buffer, 0) / 1_000_000L), e.getValue());
        }
        for (final Map.Entry<MetricSeries, Long> e : lastTimes.entrySet())
        {
            store.append(e.getKey(), Math.max(e.getValue(), e.getKey().lastTimeMillis()), cumulative.get(e.getKey()));
        }
    }

    private void edge(final String caller, final String callee, final long time, final Map<MetricSeries, Long> lastTimes)
    {
        count(store.metric("sextant.dependency.calls", Series.Kind.COUNTER, "1",
            Map.of("caller", caller, "callee", callee)), time, lastTimes);
    }

    private void count(final MetricSeries s, final long time, final Map<MetricSeries, Long> lastTimes)
    {
        if (s == null)
        {
            store.append((MetricSeries)null, 0, 0);
            return;
        }
        cumulative.merge(s, 1.0, Double::sum);
        lastTimes.merge(s, time, Math::max);
    }
}
