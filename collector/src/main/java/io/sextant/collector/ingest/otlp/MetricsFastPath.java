package io.sextant.collector.ingest.otlp;

import com.google.protobuf.CodedInputStream;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.sextant.collector.store.MetricSeries;
import io.sextant.collector.store.Series;
import io.sextant.collector.store.SeriesStore;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * OTLP/protobuf metrics without protobuf-java objects for the common case: gauges and sums.
 *
 * <p>{@link #scan} runs on the HTTP thread: it walks the whole request once, checks every field it
 * will later read has a sound encoding, and counts points and rejected metrics, so the request can be
 * journaled as it arrived (no re-encoding). Histograms, exponential histograms and summaries are
 * rare and complex: the scan parses each with protobuf-java to validate it.
 *
 * <p>{@link #apply} runs on the store tailer: for every gauge or sum point it finds the series from
 * the raw bytes of the point's attributes, through a cache keyed by those bytes (per resource and
 * metric), so a known series costs a hash and a byte comparison and no label map. A cache miss builds
 * the labels exactly as the protobuf-java path does ({@link OtlpApplier#labels}). Other metric kinds
 * are parsed with protobuf-java and handed to the general path.
 */
final class MetricsFastPath
{
    /** Counts of one request. */
    record Scan(long points, long rejected)
    {
    }

    private static final int CACHE_LIMIT = 1 << 20;

    private final SeriesStore store;
    private final Map<Series, Double> cumulative;
    private final BiConsumer<Map<String, String>, Metric> general;
    private final ProtoCursor request = new ProtoCursor();
    private final ProtoCursor resourceMetrics = new ProtoCursor();
    private final ProtoCursor scopeMetrics = new ProtoCursor();
    private final ProtoCursor metric = new ProtoCursor();
    private final ProtoCursor data = new ProtoCursor();
    private final ProtoCursor point = new ProtoCursor();
    private final ProtoCursor inner = new ProtoCursor();
    private final Map<String, SeriesCache> caches = new HashMap<>();
    private int cached;

    /**
     * @param general how a metric other than a gauge or sum is applied (with its resource labels).
     */
    MetricsFastPath(final SeriesStore store, final Map<Series, Double> cumulative,
        final BiConsumer<Map<String, String>, Metric> general)
    {
        this.store = store;
        this.cumulative = cumulative;
        this.general = general;
    }

    // ---- validation and counting (HTTP threads; static: no shared state) --------------------------

    static Scan scan(final byte[] body) throws IOException
    {
        final ProtoCursor req = new ProtoCursor().wrap(body, 0, body.length);
        final ProtoCursor rm = new ProtoCursor();
        final ProtoCursor sm = new ProtoCursor();
        final ProtoCursor m = new ProtoCursor();
        final ProtoCursor d = new ProtoCursor();
        final ProtoCursor p = new ProtoCursor();
        long points = 0;
        long rejected = 0;
        while (req.next())
        {
            if (req.field() != 1)
            {
                req.skip();
                continue;
            }
            req.expect(ProtoCursor.LEN, "ResourceMetrics");
            rm.wrap(body, req.skipLengthStart(), req.lastLength());
            while (rm.next())
            {
                if (rm.field() == 1)
                {
                    rm.expect(ProtoCursor.LEN, "Resource");
                    final int start = rm.skipLength();
                    checkAttributes(p.wrap(body, start, rm.position() - start), 1);
                    continue;
                }
                if (rm.field() != 2)
                {
                    rm.skip();
                    continue;
                }
                rm.expect(ProtoCursor.LEN, "ScopeMetrics");
                sm.wrap(body, rm.skipLengthStart(), rm.lastLength());
                while (sm.next())
                {
                    if (sm.field() != 2)
                    {
                        sm.skip();
                        continue;
                    }
                    sm.expect(ProtoCursor.LEN, "Metric");
                    final int metricStart = sm.skipLengthStart();
                    final int metricLength = sm.lastLength();
                    m.wrap(body, metricStart, metricLength);
                    boolean named = false;
                    int kind = 0;
                    long n = 0;
                    while (m.next())
                    {
                        switch (m.field())
                        {
                            case 1 ->
                            {
                                m.expect(ProtoCursor.LEN, "Metric.name");
                                m.skipLengthStart();
                                named = m.lastLength() > 0;
                            }
                            case 5, 7 ->
                            {
                                m.expect(ProtoCursor.LEN, "Metric data");
                                kind = m.field();
                                d.wrap(body, m.skipLengthStart(), m.lastLength());
                                while (d.next())
                                {
                                    if (d.field() == 1)
                                    {
                                        d.expect(ProtoCursor.LEN, "NumberDataPoint");
                                        final int start = d.skipLength();
                                        checkPoint(p.wrap(body, start, d.position() - start));
                                        n++;
                                    }
                                    else
                                    {
                                        d.skip();
                                    }
                                }
                            }
                            case 3 ->
                            {
                                m.expect(ProtoCursor.LEN, "Metric.unit");
                                m.skip();
                            }
                            case 9, 10, 11 ->
                            {
                                kind = m.field();
                                m.skip();
                            }
                            default -> m.skip();
                        }
                    }
                    if (kind == 9 || kind == 10 || kind == 11)
                    {
                        final Metric parsed = Metric.parseFrom(CodedInputStream.newInstance(body, metricStart,
                            metricLength));
                        n = OtlpApplier.pointCount(parsed);
                    }
                    points += n;
                    if (!named || kind == 0)
                    {
                        rejected += Math.max(1, n);
                    }
                }
            }
        }
        return new Scan(points, rejected);
    }

    private static void checkPoint(final ProtoCursor p) throws IOException
    {
        while (p.next())
        {
            switch (p.field())
            {
                case 2, 3, 4, 6 -> p.expect(ProtoCursor.FIXED64, "NumberDataPoint field " + p.field());
                case 7 ->
                {
                    p.expect(ProtoCursor.LEN, "attribute");
                    checkKeyValue(p);
                    continue;
                }
                default ->
                {
                }
            }
            p.skip();
        }
    }

    /**
     * Checks every attribute (field {@code field}, a KeyValue) of a message.
     */
    private static void checkAttributes(final ProtoCursor message, final int field) throws IOException
    {
        while (message.next())
        {
            if (message.field() == field)
            {
                message.expect(ProtoCursor.LEN, "attribute");
                checkKeyValue(message);
            }
            else
            {
                message.skip();
            }
        }
    }

    private static void checkKeyValue(final ProtoCursor owner) throws IOException
    {
        final int start = owner.skipLength();
        checkKeyValue(owner.bytes(), start, owner.position() - start, 0);
    }

    /**
     * Checks a KeyValue the way protobuf-java would read it: wire types, lengths, valid UTF-8 in the
     * key and string values, nested arrays and key-value lists to a bounded depth.
     */
    private static void checkKeyValue(final byte[] bytes, final int start, final int length, final int depth)
        throws IOException
    {
        final ProtoCursor kv = new ProtoCursor().wrap(bytes, start, length);
        while (kv.next())
        {
            switch (kv.field())
            {
                case 1 ->
                {
                    kv.expect(ProtoCursor.LEN, "attribute key");
                    checkUtf8(bytes, kv.skipLengthStart(), kv.lastLength());
                }
                case 2 ->
                {
                    kv.expect(ProtoCursor.LEN, "attribute value");
                    checkAnyValue(bytes, kv.skipLengthStart(), kv.lastLength(), depth);
                }
                default -> kv.skip();
            }
        }
    }

    private static void checkAnyValue(final byte[] bytes, final int start, final int length, final int depth)
        throws IOException
    {
        if (depth > 32)
        {
            throw new IOException("attribute values nested more than 32 deep");
        }
        final ProtoCursor v = new ProtoCursor().wrap(bytes, start, length);
        while (v.next())
        {
            switch (v.field())
            {
                case 1 ->
                {
                    v.expect(ProtoCursor.LEN, "string value");
                    checkUtf8(bytes, v.skipLengthStart(), v.lastLength());
                }
                case 2, 3 ->
                {
                    v.expect(ProtoCursor.VARINT, "bool or int value");
                    v.varint();
                }
                case 4 ->
                {
                    v.expect(ProtoCursor.FIXED64, "double value");
                    v.fixed64();
                }
                case 5, 6 ->
                {
                    v.expect(ProtoCursor.LEN, "array or key-value list");
                    final int field = v.field();
                    final ProtoCursor list = new ProtoCursor().wrap(bytes, v.skipLengthStart(), v.lastLength());
                    while (list.next())
                    {
                        if (list.field() == 1)
                        {
                            list.expect(ProtoCursor.LEN, "list element");
                            final int elementStart = list.skipLengthStart();
                            if (field == 5)
                            {
                                checkAnyValue(bytes, elementStart, list.lastLength(), depth + 1);
                            }
                            else
                            {
                                checkKeyValue(bytes, elementStart, list.lastLength(), depth + 1);
                            }
                        }
                        else
                        {
                            list.skip();
                        }
                    }
                }
                case 7 ->
                {
                    v.expect(ProtoCursor.LEN, "bytes value");
                    v.skip();
                }
                default -> v.skip();
            }
        }
    }

    private static void checkUtf8(final byte[] bytes, final int start, final int length) throws IOException
    {
        int i = start;
        final int end = start + length;
        while (i < end)
        {
            final int b = bytes[i];
            if (b >= 0)
            {
                i++;
                continue;
            }
            final int n;
            int cp;
            if ((b & 0xE0) == 0xC0)
            {
                n = 1;
                cp = b & 0x1F;
            }
            else if ((b & 0xF0) == 0xE0)
            {
                n = 2;
                cp = b & 0x0F;
            }
            else if ((b & 0xF8) == 0xF0)
            {
                n = 3;
                cp = b & 0x07;
            }
            else
            {
                throw new IOException("invalid UTF-8 in a string at byte " + i);
            }
            if (end - i <= n)
            {
                throw new IOException("truncated UTF-8 sequence in a string at byte " + i);
            }
            for (int k = 1; k <= n; k++)
            {
                final int c = bytes[i + k];
                if ((c & 0xC0) != 0x80)
                {
                    throw new IOException("invalid UTF-8 in a string at byte " + (i + k));
                }
                cp = cp << 6 | (c & 0x3F);
            }
            if ((n == 1 && cp < 0x80) || (n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
                (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            {
                throw new IOException("invalid UTF-8 (overlong, surrogate or out of range) at byte " + i);
            }
            i += n + 1;
        }
    }

    // ---- applying (store tailer thread) -----------------------------------------------------------

    void apply(final byte[] body, final int offset, final int length) throws IOException
    {
        request.wrap(body, offset, length);
        while (request.next())
        {
            if (request.field() != 1)
            {
                request.skip();
                continue;
            }
            resourceMetrics.wrap(body, request.skipLengthStart(), request.lastLength());
            // The resource comes first in every encoder seen, but the format allows any order: find it first.
            Map<String, String> resource = null;
            final int rmStart = resourceMetrics.position();
            while (resourceMetrics.next())
            {
                if (resourceMetrics.field() == 1)
                {
                    resource = resourceLabels(body, resourceMetrics.skipLengthStart(), resourceMetrics.lastLength());
                }
                else
                {
                    resourceMetrics.skip();
                }
            }
            if (resource == null)
            {
                resource = resourceLabels(body, 0, 0);
            }
            final String resourceKey = resource.get("service") + '\u0001' + resource.getOrDefault("instance", "");
            resourceMetrics.wrap(body, rmStart, resourceMetrics.limit() - rmStart);
            while (resourceMetrics.next())
            {
                if (resourceMetrics.field() != 2)
                {
                    resourceMetrics.skip();
                    continue;
                }
                scopeMetrics.wrap(body, resourceMetrics.skipLengthStart(), resourceMetrics.lastLength());
                while (scopeMetrics.next())
                {
                    if (scopeMetrics.field() != 2)
                    {
                        scopeMetrics.skip();
                        continue;
                    }
                    applyMetric(body, scopeMetrics.skipLengthStart(), scopeMetrics.lastLength(), resource, resourceKey);
                }
            }
        }
    }

    private void applyMetric(final byte[] body, final int start, final int length, final Map<String, String> resource,
        final String resourceKey) throws IOException
    {
        metric.wrap(body, start, length);
        String name = "";
        String unit = "";
        int kind = 0;
        int dataStart = 0;
        int dataLength = 0;
        while (metric.next())
        {
            switch (metric.field())
            {
                case 1 -> name = metric.string();
                case 3 -> unit = metric.string();
                case 5, 7, 9, 10, 11 ->
                {
                    kind = metric.field();
                    dataStart = metric.skipLengthStart();
                    dataLength = metric.lastLength();
                }
                default -> metric.skip();
            }
        }
        if (name.isEmpty() || kind == 0)
        {
            return;
        }
        if (kind != 5 && kind != 7)
        {
            general.accept(resource, Metric.parseFrom(CodedInputStream.newInstance(body, start, length)));
            return;
        }
        boolean monotonic = false;
        boolean delta = false;
        if (kind == 7)
        {
            data.wrap(body, dataStart, dataLength);
            while (data.next())
            {
                if (data.field() == 2 && data.wireType() == ProtoCursor.VARINT)
                {
                    delta = data.varint() == 1; // AGGREGATION_TEMPORALITY_DELTA
                }
                else if (data.field() == 3 && data.wireType() == ProtoCursor.VARINT)
                {
                    monotonic = data.varint() != 0;
                }
                else
                {
                    data.skip();
                }
            }
        }
        final Series.Kind seriesKind = kind == 7 && monotonic ? Series.Kind.COUNTER : Series.Kind.GAUGE;
        final SeriesCache cache = cache(resourceKey, name, unit, seriesKind);
        data.wrap(body, dataStart, dataLength);
        while (data.next())
        {
            if (data.field() != 1)
            {
                data.skip();
                continue;
            }
            point.wrap(body, data.skipLengthStart(), data.lastLength());
            long timeNanos = 0;
            double value = 0;
            int attributesStart = -1;
            int attributesEnd = -1;
            boolean contiguous = true;
            while (point.next())
            {
                switch (point.field())
                {
                    case 3 -> timeNanos = point.fixed64();
                    case 4 -> value = Double.longBitsToDouble(point.fixed64());
                    case 6 -> value = point.fixed64();
                    case 7 ->
                    {
                        final int fieldStart = point.tagStart();
                        point.skipLength();
                        if (attributesStart < 0)
                        {
                            attributesStart = fieldStart;
                        }
                        else if (attributesEnd != fieldStart)
                        {
                            contiguous = false;
                        }
                        attributesEnd = point.position();
                    }
                    default -> point.skip();
                }
            }
            final MetricSeries series = contiguous ?
                cache.find(body, Math.max(0, attributesStart), Math.max(0, attributesEnd - attributesStart)) : null;
            final MetricSeries s = series != null ? series :
                resolve(cache, body, point.limit() - data.lastLength(), data.lastLength(), contiguous, attributesStart,
                    attributesEnd, resource, name, unit, seriesKind);
            double v = value;
            if (delta && s != null)
            {
                v = cumulative.merge(s, v, Double::sum);
            }
            store.append(s, timeNanos / 1_000_000L, v);
        }
    }

    private MetricSeries resolve(final SeriesCache cache, final byte[] body, final int pointStart, final int pointLength,
        final boolean contiguous, final int attributesStart, final int attributesEnd, final Map<String, String> resource,
        final String name, final String unit, final Series.Kind kind) throws IOException
    {
        final Map<String, String> labels = new HashMap<>(resource);
        inner.wrap(body, pointStart, pointLength);
        while (inner.next())
        {
            if (inner.field() == 7)
            {
                final int start = inner.skipLengthStart();
                final KeyValue kv = KeyValue.parseFrom(CodedInputStream.newInstance(body, start, inner.lastLength()));
                labels.put(kv.getKey(), OtlpApplier.text(kv.getValue()));
            }
            else
            {
                inner.skip();
            }
        }
        final MetricSeries s = store.metric(name, kind, unit, labels);
        if (s != null && contiguous)
        {
            if (cached >= CACHE_LIMIT)
            {
                caches.clear();
                cached = 0;
            }
            cache.put(body, Math.max(0, attributesStart), Math.max(0, attributesEnd - attributesStart), s);
            cached++;
        }
        return s;
    }

    private SeriesCache cache(final String resourceKey, final String name, final String unit, final Series.Kind kind)
    {
        final String key = resourceKey + '\u0001' + name + '\u0001' + unit + '\u0001' + kind;
        SeriesCache c = caches.get(key);
        if (c == null)
        {
            c = new SeriesCache();
            caches.put(key, c);
        }
        return c;
    }

    private Map<String, String> resourceLabels(final byte[] body, final int start, final int length) throws IOException
    {
        final Map<String, String> labels = new HashMap<>();
        String service = "unknown_service";
        inner.wrap(body, start, length);
        while (inner.next())
        {
            if (inner.field() != 1)
            {
                inner.skip();
                continue;
            }
            final int kvStart = inner.skipLengthStart();
            final KeyValue kv = KeyValue.parseFrom(CodedInputStream.newInstance(body, kvStart, inner.lastLength()));
            if (kv.getKey().equals("service.name"))
            {
                service = OtlpApplier.text(kv.getValue());
            }
            else if (kv.getKey().equals("service.instance.id"))
            {
                labels.put("instance", OtlpApplier.text(kv.getValue()));
            }
        }
        labels.put("service", service);
        return labels;
    }

    /**
     * Series of one resource and metric by the raw bytes of their points' attributes: open addressing,
     * no allocation on a hit.
     */
    static final class SeriesCache
    {
        private byte[][] keys = new byte[16][];
        private MetricSeries[] values = new MetricSeries[16];
        private int[] hashes = new int[16];
        private int size;

        MetricSeries find(final byte[] bytes, final int offset, final int length)
        {
            final int h = hash(bytes, offset, length);
            final int mask = keys.length - 1;
            for (int i = h & mask; ; i = (i + 1) & mask)
            {
                final byte[] k = keys[i];
                if (k == null)
                {
                    return null;
                }
                if (hashes[i] == h && Arrays.equals(k, 0, k.length, bytes, offset, offset + length))
                {
                    return values[i];
                }
            }
        }

        void put(final byte[] bytes, final int offset, final int length, final MetricSeries series)
        {
            if ((size + 1) * 2 > keys.length)
            {
                grow();
            }
            insert(Arrays.copyOfRange(bytes, offset, offset + length), hash(bytes, offset, length), series);
        }

        private void insert(final byte[] key, final int h, final MetricSeries series)
        {
            final int mask = keys.length - 1;
            int i = h & mask;
            while (keys[i] != null)
            {
                if (hashes[i] == h && Arrays.equals(keys[i], key))
                {
                    values[i] = series;
                    return;
                }
                i = (i + 1) & mask;
            }
            keys[i] = key;
            hashes[i] = h;
            values[i] = series;
            size++;
        }

        private void grow()
        {
            final byte[][] oldKeys = keys;
            final MetricSeries[] oldValues = values;
            final int[] oldHashes = hashes;
            keys = new byte[oldKeys.length * 2][];
            values = new MetricSeries[oldKeys.length * 2];
            hashes = new int[oldKeys.length * 2];
            size = 0;
            for (int i = 0; i < oldKeys.length; i++)
            {
                if (oldKeys[i] != null)
                {
                    insert(oldKeys[i], oldHashes[i], oldValues[i]);
                }
            }
        }

        private static int hash(final byte[] bytes, final int offset, final int length)
        {
            int h = 0x9E3779B9 ^ length;
            for (int i = offset; i < offset + length; i++)
            {
                h = (h ^ bytes[i]) * 0x01000193;
            }
            return h ^ (h >>> 16);
        }
    }
}
