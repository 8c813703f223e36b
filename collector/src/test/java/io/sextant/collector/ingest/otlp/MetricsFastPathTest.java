package io.sextant.collector.ingest.otlp;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.sextant.collector.store.MetricSeries;
import io.sextant.collector.store.Series;
import io.sextant.collector.store.SeriesStore;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The protobuf-free metrics path against protobuf-java: the same requests, built with protobuf-java,
 * must land in the store as exactly the samples and labels the message objects say; and a corrupted
 * body is either refused by the scan or applied without an exception.
 */
class MetricsFastPathTest
{
    private static KeyValue kv(final String key, final AnyValue value)
    {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    private static AnyValue str(final String s)
    {
        return AnyValue.newBuilder().setStringValue(s).build();
    }

    private static ExportMetricsServiceRequest request(final Random random, final long baseNanos)
    {
        final ExportMetricsServiceRequest.Builder req = ExportMetricsServiceRequest.newBuilder();
        for (int r = 0; r < 3; r++)
        {
            final Resource.Builder resource = Resource.newBuilder().addAttributes(kv("service.name", str("svc-" + r)))
                .addAttributes(kv("host.name", str("h")));
            if (r == 1)
            {
                resource.addAttributes(kv("service.instance.id", str("i-1")));
            }
            final ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
            for (int m = 0; m < 4; m++)
            {
                final Metric.Builder metric = Metric.newBuilder().setName("m" + m).setUnit(m == 0 ? "By" : "1");
                final List<NumberDataPoint> points = new ArrayList<>();
                for (int p = 0; p < 5; p++)
                {
                    final NumberDataPoint.Builder point = NumberDataPoint.newBuilder()
                        .setTimeUnixNano(baseNanos + p * 1_000_000L)
                        .addAttributes(kv("k", str("v" + (p % 3))))
                        .addAttributes(kv("n", AnyValue.newBuilder().setIntValue(p % 2).build()))
                        .addAttributes(kv("b", AnyValue.newBuilder().setBoolValue(p == 4).build()));
                    if (p == 2)
                    {
                        point.addAttributes(kv("arr", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                            .addValues(str("x")).addValues(str("y"))).build()));
                    }
                    if (random.nextBoolean())
                    {
                        point.setAsInt(random.nextInt(1000));
                    }
                    else
                    {
                        point.setAsDouble(random.nextDouble() * 100);
                    }
                    points.add(point.build());
                }
                switch (m)
                {
                    case 0 -> metric.setGauge(Gauge.newBuilder().addAllDataPoints(points));
                    case 1 -> metric.setSum(Sum.newBuilder().setIsMonotonic(true).setAggregationTemporality(
                        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).addAllDataPoints(points));
                    case 2 -> metric.setSum(Sum.newBuilder().setIsMonotonic(true).setAggregationTemporality(
                        AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA).addAllDataPoints(points));
                    default -> metric.setSum(Sum.newBuilder().setIsMonotonic(false).addAllDataPoints(points));
                }
                scope.addMetrics(metric);
            }
            scope.addMetrics(Metric.newBuilder().setName("h").setHistogram(Histogram.newBuilder()
                .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(baseNanos).setCount(1).addBucketCounts(1))));
            scope.addMetrics(Metric.newBuilder().setName("").setGauge(Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(1))));
            req.addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource).addScopeMetrics(scope));
        }
        return req.build();
    }

    /** What the protobuf-java objects say should be stored: series key to (time, value) in order. */
    private static Map<String, List<String>> expected(final List<ExportMetricsServiceRequest> requests)
    {
        final Map<String, List<String>> out = new TreeMap<>();
        final Map<String, Double> cumulative = new HashMap<>();
        for (final ExportMetricsServiceRequest req : requests)
        {
            for (final ResourceMetrics rm : req.getResourceMetricsList())
            {
                final Map<String, String> resource = new HashMap<>();
                resource.put("service", "unknown_service");
                for (final KeyValue kv : rm.getResource().getAttributesList())
                {
                    if (kv.getKey().equals("service.name"))
                    {
                        resource.put("service", OtlpApplier.text(kv.getValue()));
                    }
                    else if (kv.getKey().equals("service.instance.id"))
                    {
                        resource.put("instance", OtlpApplier.text(kv.getValue()));
                    }
                }
                for (final ScopeMetrics sm : rm.getScopeMetricsList())
                {
                    for (final Metric m : sm.getMetricsList())
                    {
                        if (m.getName().isEmpty() || !(m.hasGauge() || m.hasSum()))
                        {
                            continue;
                        }
                        final List<NumberDataPoint> points = m.hasGauge() ? m.getGauge().getDataPointsList() :
                            m.getSum().getDataPointsList();
                        final boolean delta = m.hasSum() && m.getSum().getAggregationTemporality() ==
                            AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
                        for (final NumberDataPoint p : points)
                        {
                            final Map<String, String> labels = new TreeMap<>(resource);
                            for (final KeyValue kv : p.getAttributesList())
                            {
                                labels.put(kv.getKey(), OtlpApplier.text(kv.getValue()));
                            }
                            final String key = m.getName() + labels;
                            double v = p.hasAsInt() ? p.getAsInt() : p.getAsDouble();
                            if (delta)
                            {
                                v = cumulative.merge(key, v, Double::sum);
                            }
                            out.computeIfAbsent(key, k -> new ArrayList<>()).add(p.getTimeUnixNano() / 1_000_000L + "=" + v);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, List<String>> stored(final SeriesStore store)
    {
        final Map<String, List<String>> out = new TreeMap<>();
        for (int id = 0; store.byId(id) != null; id++)
        {
            final Series s = store.byId(id);
            if (s instanceof MetricSeries m)
            {
                final List<String> samples = new ArrayList<>();
                m.read(Long.MIN_VALUE, Long.MAX_VALUE, (t, v) -> samples.add(t + "=" + v));
                out.put(s.name() + new TreeMap<>(s.labels()), samples);
            }
        }
        return out;
    }

    @Test
    void storesExactlyWhatTheMessagesSay() throws IOException
    {
        final Random random = new Random(7);
        final SeriesStore store = new SeriesStore(10_000, Long.MAX_VALUE / 4, 100);
        final int[] general = new int[1];
        final MetricsFastPath path = new MetricsFastPath(store, new HashMap<>(), (r, m) -> general[0]++);
        final List<ExportMetricsServiceRequest> requests = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            final ExportMetricsServiceRequest req = request(random, 1_700_000_000_000_000_000L + i * 1_000_000_000L);
            requests.add(req);
            final byte[] body = req.toByteArray();
            final MetricsFastPath.Scan scan = MetricsFastPath.scan(body);
            assertThat(scan.points()).isEqualTo(3 * (4 * 5 + 1 + 1));
            assertThat(scan.rejected()).as("the metric without a name").isEqualTo(3);
            path.apply(body, 0, body.length);
        }
        assertThat(stored(store)).isEqualTo(expected(requests));
        assertThat(general[0]).as("histograms go to the general path").isEqualTo(4 * 3);
        final MetricSeries counter = (MetricSeries)store.byId(5);
        assertThat(counter).isNotNull();
    }

    @Test
    void aCorruptBodyIsRefusedByTheScanOrAppliedWithoutAnException() throws IOException
    {
        final byte[] good = request(new Random(3), 1_700_000_000_000_000_000L).toByteArray();
        final Random random = new Random(11);
        int refused = 0;
        for (int trial = 0; trial < 3000; trial++)
        {
            final byte[] body = trial < good.length ? java.util.Arrays.copyOf(good, trial) : good.clone();
            if (trial >= good.length)
            {
                body[random.nextInt(body.length)] ^= (byte)(1 << random.nextInt(8));
            }
            final MetricsFastPath.Scan scan;
            try
            {
                scan = MetricsFastPath.scan(body);
            }
            catch (final IOException expected)
            {
                refused++;
                continue;
            }
            assertThat(scan.points()).isNotNegative();
            // protobuf-java must agree the body is sound (what the scan let through, the applier can read)
            ExportMetricsServiceRequest.parseFrom(body);
            final SeriesStore store = new SeriesStore(10_000, Long.MAX_VALUE / 4, 100);
            new MetricsFastPath(store, new HashMap<>(), (r, m) -> { }).apply(body, 0, body.length);
        }
        assertThat(refused).as("most corruptions are caught by the scan").isGreaterThan(1000);
    }

    @Test
    void refusesInvalidUtf8InAnAttribute()
    {
        final byte[] body = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
            .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("g").setGauge(
                Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsDouble(1)
                    .addAttributes(kv("k", str("\u00e9tat")))))))).build().toByteArray();
        // Find the two bytes of the e-acute (0xC3 0xA9) and break the second.
        for (int i = 0; i + 1 < body.length; i++)
        {
            if ((body[i] & 0xFF) == 0xC3 && (body[i + 1] & 0xFF) == 0xA9)
            {
                body[i + 1] = 0x41;
            }
        }
        assertThatThrownBy(() -> MetricsFastPath.scan(body)).isInstanceOf(IOException.class)
            .hasMessageContaining("UTF-8");
    }

    @Test
    void namesTheProblemInAMalformedBody()
    {
        assertThatThrownBy(() -> MetricsFastPath.scan(new byte[] {0x0A, 0x7F, 0x01})).isInstanceOf(IOException.class)
            .hasMessageContaining("runs past the end");
        assertThatThrownBy(() -> MetricsFastPath.scan(new byte[] {0x0A, (byte)0x80})).isInstanceOf(IOException.class)
            .hasMessageContaining("truncated varint");
    }
}
