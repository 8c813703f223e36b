package io.sextant.bench.agent;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.sextant.agent.bridge.SextantBridge;
import io.sextant.agent.record.ApiEndpoints;
import io.sextant.agent.record.CustomMetrics;
import io.sextant.agent.record.ModelRegistry;
import io.sextant.agent.record.RecordRing;
import io.sextant.api.Counter;
import io.sextant.api.Histogram;
import io.sextant.api.Model;
import io.sextant.api.Sextant;
import org.agrona.concurrent.MessageHandler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What an application thread pays per record, through the real {@code sextant-api} bound to the
 * agent's real recording classes, beside the OpenTelemetry SDK doing the same work on the same
 * thread (BENCHMARKS.md, {@code micro}):
 *
 * <table>
 * <tr><th>Sextant</th><th>OpenTelemetry SDK reference</th></tr>
 * <tr><td>{@code Counter.increment()}</td><td>{@code LongCounter.add(1)}</td></tr>
 * <tr><td>{@code Histogram.record(long)}</td><td>{@code DoubleHistogram.record(double)}</td></tr>
 * <tr><td>{@code Model.recordClass(...)} with 8 numeric features and a prediction id</td>
 *     <td>{@code DoubleHistogram.record} + {@code LongCounter.add} with 8 attributes</td></tr>
 * </table>
 *
 * <p>Binding is the application's: the fork gets the agent's bridge classes on the bootstrap class
 * path ({@code benchmarks/run} passes {@code -Xbootclasspath/a:} with {@link BridgeJar}'s jar), the
 * set-up publishes an {@link ApiEndpoints} exactly as the agent's start-up does, and the API classes
 * bind to it through {@code static final} method handles when they initialise. The set-up fails when
 * the API did not bind, so a run can never measure the no-op API by mistake. The ring buffer is the
 * agent's default 1 MiB; the benchmark thread itself reads it about every 256 records, as the sender
 * would (a concurrent drainer on a loaded 2-core machine falls behind and the ring then measures its
 * cheaper drop path), so the inference figure includes the reader's cost and is an upper bound. The
 * tear-down fails the run if a single record was dropped.
 *
 * <p>The OpenTelemetry side is an {@link SdkMeterProvider} with its default aggregations and exemplar
 * filter and one registered reader that never collects (a provider without a reader hands out no-op
 * instruments). Its 8 inference attributes are one prebuilt {@link Attributes}: the cheapest way the
 * SDK can be used, whereas the Sextant record carries 8 changing feature values.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class AgentRecordBenchmark
{
    /** Feature count of the inference benchmarks. */
    public static final int FEATURES = 8;

    private static final String[] FEATURE_NAMES = {"amount", "age", "items", "tenure", "visits", "score", "lat", "lon"};

    /** The agent's recording classes, published once per JVM as {@code premain} does. */
    @State(Scope.Benchmark)
    public static class Agent
    {
        private static ApiEndpoints endpoints;
        private static RecordRing ring;

        /** Records written between two drains. */
        static final int DRAIN_EVERY = 256;
        private static final MessageHandler DISCARD = (type, buffer, index, length) -> { };

        Counter counter;
        Histogram histogram;
        Model model;

        @Setup(Level.Trial)
        public void bind()
        {
            synchronized (Agent.class)
            {
                if (endpoints == null)
                {
                    ring = new RecordRing(1 << 20);  // the agent's default buffer-size
                    endpoints = new ApiEndpoints(ring, new CustomMetrics(), new ModelRegistry());
                    SextantBridge.publish(endpoints);
                }
            }
            if (!Sextant.isAttached())
            {
                throw new IllegalStateException("sextant-api did not bind to the agent: run with -Xbootclasspath/a:" +
                    "<the jar BridgeJar writes> (benchmarks/run micro does)");
            }
            counter = Sextant.counter("bench.requests", "1");
            histogram = Sextant.histogram("bench.latency", "ns");
            model = Sextant.model("fraud", "v1", FEATURE_NAMES, null);
        }

        /**
         * The sender's share, on the benchmark thread: reads (and so frees) what the last calls
         * wrote. Called every {@link #DRAIN_EVERY} records, so its cost is in the figure too.
         */
        void drain()
        {
            ring.ring().read(DISCARD, 4 * DRAIN_EVERY);
        }

        @TearDown(Level.Trial)
        public void check()
        {
            System.out.println("ring records dropped " + ring.dropped() + ", API errors " + endpoints.errors());
            if (ring.dropped() != 0 || endpoints.errors() != 0)
            {
                throw new IllegalStateException("records were dropped or refused: the figure is not the full write");
            }
        }
    }

    /** The OpenTelemetry SDK's equivalents. */
    @State(Scope.Benchmark)
    public static class Otel
    {
        SdkMeterProvider provider;
        LongCounter counter;
        DoubleHistogram histogram;
        LongCounter inferences;
        DoubleHistogram inferenceLatency;
        Attributes features;

        @Setup(Level.Trial)
        public void build()
        {
            provider = SdkMeterProvider.builder().registerMetricReader(new IdleReader()).build();
            final Meter meter = provider.get("bench");
            counter = meter.counterBuilder("bench.requests").build();
            histogram = meter.histogramBuilder("bench.latency").setUnit("ns").build();
            inferences = meter.counterBuilder("fraud.inferences").build();
            inferenceLatency = meter.histogramBuilder("fraud.latency").setUnit("ns").build();
            features = Attributes.builder()
                .put(AttributeKey.stringKey("model"), "fraud")
                .put(AttributeKey.stringKey("version"), "v1")
                .put(AttributeKey.stringKey("prediction"), "fraud")
                .put(AttributeKey.stringKey("amount_band"), "100-500")
                .put(AttributeKey.stringKey("age_band"), "30-40")
                .put(AttributeKey.longKey("items"), 3)
                .put(AttributeKey.stringKey("country"), "NZ")
                .put(AttributeKey.booleanKey("returning"), true)
                .build();
            if (features.size() != FEATURES)
            {
                throw new IllegalStateException("expected " + FEATURES + " attributes");
            }
        }

        @TearDown(Level.Trial)
        public void close()
        {
            provider.close();
        }
    }

    /** Per-thread inputs, changing every call as an application's would. */
    @State(Scope.Thread)
    public static class Inputs
    {
        final double[] numeric = new double[FEATURES];
        long value = 1;

        long next()
        {
            value = value * 6_364_136_223_846_793_005L + 1_442_695_040_888_963_407L;
            return 1_000 + ((value >>> 40) & 0xFFFFF);
        }

        double[] features(final long sample)
        {
            for (int i = 0; i < FEATURES; i++)
            {
                numeric[i] = sample + i;
            }
            return numeric;
        }
    }

    @Benchmark
    public void sextantCounterIncrement(final Agent agent)
    {
        agent.counter.increment();
    }

    @Benchmark
    public long sextantHistogramRecord(final Agent agent, final Inputs in)
    {
        final long sample = in.next();
        agent.histogram.record(sample);
        return sample;
    }

    @Benchmark
    public long sextantInference8Features(final Agent agent, final Inputs in)
    {
        final long sample = in.next();
        agent.model.recordClass(sample, "fraud", 0.93, "order-1", in.features(sample), null);
        if ((sample & (Agent.DRAIN_EVERY - 1)) == 0)
        {
            agent.drain();
        }
        return sample;
    }

    @Benchmark
    public void otelCounterAdd(final Otel otel)
    {
        otel.counter.add(1);
    }

    @Benchmark
    public long otelHistogramRecord(final Otel otel, final Inputs in)
    {
        final long sample = in.next();
        otel.histogram.record(sample);
        return sample;
    }

    @Benchmark
    public long otelInference8Attributes(final Otel otel, final Inputs in)
    {
        final long sample = in.next();
        otel.inferenceLatency.record(sample, otel.features);
        otel.inferences.add(1, otel.features);
        return sample;
    }

    /** A reader that registers (so the SDK builds real instruments) and never collects. */
    static final class IdleReader implements MetricReader
    {
        @Override
        public void register(final CollectionRegistration registration)
        {
            // never collects: the benchmark measures the recording thread only
        }

        @Override
        public AggregationTemporality getAggregationTemporality(final InstrumentType instrumentType)
        {
            return AggregationTemporality.CUMULATIVE;
        }

        @Override
        public CompletableResultCode forceFlush()
        {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown()
        {
            return CompletableResultCode.ofSuccess();
        }
    }
}
