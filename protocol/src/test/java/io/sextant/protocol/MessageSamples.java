package io.sextant.protocol;

import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One representative message of every type, with the checks that a decoded copy must pass. Shared
 * by the direct round-trip tests and the Netty ones, so both transports are held to the same
 * expectations.
 */
final class MessageSamples
{
    static final long BASE_MILLIS = 1_764_000_000_000L;
    static final long BASE_NANOS = BASE_MILLIS * 1_000_000L;

    /**
     * A message: how to write its payload and how to check a decoded frame.
     *
     * @param name     for test display names.
     * @param type     message type.
     * @param sequence header sequence.
     * @param encode   writes the payload.
     * @param check    decodes the payload of a frame at (buffer, offset) and asserts every field.
     */
    record Sample(String name, MessageType type, long sequence, Consumer<WireWriter> encode, Check check)
    {
        byte[] frame()
        {
            return TestFrames.frame(type, sequence, encode);
        }

        @Override
        public String toString()
        {
            return name;
        }
    }

    @FunctionalInterface
    interface Check
    {
        void check(DirectBuffer buffer, int payloadOffset, int limit);
    }

    private MessageSamples()
    {
    }

    static List<Sample> all()
    {
        return List.of(hello(), welcome(), heartbeat(), ack(), nack(), define(), metrics(), logs(), inference(),
            labels(), modelEvent(), command(), commandResult());
    }

    static WireReader reader(final DirectBuffer buffer, final int offset, final int limit)
    {
        return new WireReader().wrap(buffer, offset, limit);
    }

    static Sample hello()
    {
        final Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("deployment.environment", "prod");
        attributes.put("région", "eu-west-3 ☁ \uD83D\uDE80");
        final Hello hello = new Hello(UUID.fromString("3f2b8c1e-9d4a-4e7b-8a51-2c6f0e9d7b13"), 0x1234_5678_9ABCL,
            4242, BASE_MILLIS - 60_000, Hello.CAP_METRICS | Hello.CAP_LOGS | Hello.CAP_INFERENCE,
            "checkout", "host-ä-1", "Eclipse Adoptium 17.0.15", "0.1.0", "t0k€n", attributes);
        return new Sample("HELLO", MessageType.HELLO, 0, hello::encode, (buffer, offset, limit) ->
        {
            final WireReader reader = reader(buffer, offset, limit);
            final Hello decoded = Hello.decode(reader);
            assertThat(decoded).isEqualTo(hello);
            assertThat(decoded.token()).isEqualTo("t0k€n");
            assertThat(decoded.attributes().keySet()).containsExactly("deployment.environment", "région");
            assertThat(reader.remaining()).isZero();
        });
    }

    static Sample welcome()
    {
        final Welcome welcome = new Welcome(77, 1234, 5000, Frame.DEFAULT_MAX_FRAME_LENGTH, 0, "sextant 0.1.0");
        return new Sample("WELCOME", MessageType.WELCOME, 0, welcome::encode, (buffer, offset, limit) ->
        {
            final WireReader reader = reader(buffer, offset, limit);
            assertThat(Welcome.decode(reader)).isEqualTo(welcome);
            assertThat(reader.remaining()).isZero();
        });
    }

    static Sample heartbeat()
    {
        return new Sample("HEARTBEAT", MessageType.HEARTBEAT, 0, w -> Heartbeat.encode(w, 123_456_789L, -5L),
            (buffer, offset, limit) ->
            {
                assertThat(limit - offset).isEqualTo(Heartbeat.PAYLOAD_LENGTH);
                final WireReader reader = reader(buffer, offset, limit);
                assertThat(Heartbeat.sentAtNanos(reader)).isEqualTo(123_456_789L);
                assertThat(Heartbeat.echoNanos(reader)).isEqualTo(-5L);
            });
    }

    static Sample ack()
    {
        return new Sample("ACK", MessageType.ACK, 0, w -> Ack.encode(w, Long.MAX_VALUE - 1),
            (buffer, offset, limit) ->
            {
                assertThat(limit - offset).isEqualTo(Ack.PAYLOAD_LENGTH);
                assertThat(Ack.decode(reader(buffer, offset, limit))).isEqualTo(Long.MAX_VALUE - 1);
            });
    }

    static Sample nack()
    {
        final Nack nack = new Nack(17, ErrorCode.CRC_MISMATCH, true, "CRC32C mismatch — frame 17 refused");
        return new Sample("NACK", MessageType.NACK, 0, nack::encode, (buffer, offset, limit) ->
        {
            final Nack decoded = Nack.decode(reader(buffer, offset, limit));
            assertThat(decoded).isEqualTo(nack);
            assertThat(decoded.reason()).isEqualTo(ErrorCode.CRC_MISMATCH);
        });
    }

    static Sample define()
    {
        final CharSequence[] keys = {"pool", "gc"};
        final CharSequence[] values = {"G1 Old Gen", "G1 Young Generation"};
        return new Sample("DEFINE", MessageType.DEFINE, 0, w ->
        {
            final DefineEncoder encoder = new DefineEncoder().wrap(w);
            assertThat(encoder.series(0, SeriesKind.GAUGE, "jvm.memory.used", "bytes", keys, values, 2)).isTrue();
            assertThat(encoder.series(127, SeriesKind.COUNTER, "jvm.gc.count", "", null, null, 0)).isTrue();
            assertThat(encoder.series(Limits.MAX_SERIES_ID, SeriesKind.HISTOGRAM, "inference.latency ⏱", "ns",
                keys, values, 1)).isTrue();
            encoder.finish();
        }, (buffer, offset, limit) ->
        {
            final DefineDecoder decoder = new DefineDecoder().wrap(buffer, offset, limit);
            assertThat(decoder.count()).isEqualTo(3);

            assertThat(decoder.next()).isTrue();
            assertThat(decoder.seriesId()).isZero();
            assertThat(decoder.kind()).isEqualTo(SeriesKind.GAUGE);
            assertThat(decoder.name().toString()).isEqualTo("jvm.memory.used");
            assertThat(decoder.name().contentEquals("jvm.memory.used")).isTrue();
            assertThat(decoder.unit().toString()).isEqualTo("bytes");
            assertThat(textPairs(decoder.labels())).containsExactly(
                Map.entry("pool", "G1 Old Gen"), Map.entry("gc", "G1 Young Generation"));

            assertThat(decoder.next()).isTrue();
            assertThat(decoder.seriesId()).isEqualTo(127);
            assertThat(decoder.kind()).isEqualTo(SeriesKind.COUNTER);
            assertThat(decoder.unit().isEmpty()).isTrue();
            assertThat(decoder.labels().count()).isZero();

            assertThat(decoder.next()).isTrue();
            assertThat(decoder.seriesId()).isEqualTo(Limits.MAX_SERIES_ID);
            assertThat(decoder.kind()).isEqualTo(SeriesKind.HISTOGRAM);
            assertThat(decoder.name().toString()).isEqualTo("inference.latency ⏱");
            assertThat(decoder.name().contentEquals("inference.latency ⏱")).isTrue();
            assertThat(textPairs(decoder.labels())).containsExactly(Map.entry("pool", "G1 Old Gen"));

            assertThat(decoder.next()).isFalse();
        });
    }

    /** Values and the encoding {@link MetricsEncoder#sample} must pick for each. */
    static final double[] METRIC_VALUES = {
        0.0, 42, -7, 512L * 1024 * 1024, 0x1p60, 0.5, -0.0, Double.POSITIVE_INFINITY, 0.1, Double.NaN,
        Double.MIN_VALUE, 9.007199254740993E15, -1e300};
    static final ValueEncoding[] METRIC_ENCODINGS = {
        ValueEncoding.ZERO, ValueEncoding.INT, ValueEncoding.INT, ValueEncoding.FLOAT32, ValueEncoding.FLOAT32,
        ValueEncoding.FLOAT32, ValueEncoding.FLOAT32, ValueEncoding.FLOAT32, ValueEncoding.FLOAT64,
        ValueEncoding.FLOAT64, ValueEncoding.FLOAT64, ValueEncoding.FLOAT32, ValueEncoding.FLOAT64};
    /** Time offsets from the base: inline (0..30) and escaped (negative, large). */
    static final long[] METRIC_DELTAS = {0, 1, 30, 31, -1, 86_400_000L, 5, 7, 0, 0, 3, 29, -86_400_000L};

    static Histogram latencyHistogram()
    {
        final Histogram histogram = new Histogram(3_600_000_000L, 3);
        for (int i = 1; i <= 1000; i++)
        {
            histogram.recordValue(i * 997L);
        }
        histogram.recordValueWithCount(2_000_000_000L, 3);
        return histogram;
    }

    static byte[] encode(final Histogram histogram)
    {
        final ByteBuffer target = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        final int length = histogram.encodeIntoByteBuffer(target);
        final byte[] bytes = new byte[length];
        target.flip();
        target.get(bytes);
        return bytes;
    }

    static Sample metrics()
    {
        final Histogram histogram = latencyHistogram();
        final byte[] encodedHistogram = encode(histogram);
        return new Sample("METRICS", MessageType.METRICS, 9, w ->
        {
            final MetricsEncoder encoder = new MetricsEncoder().wrap(w, BASE_MILLIS);
            for (int i = 0; i < METRIC_VALUES.length; i++)
            {
                assertThat(encoder.sample(i, BASE_MILLIS + METRIC_DELTAS[i], METRIC_VALUES[i])).isTrue();
            }
            assertThat(encoder.sampleLong(200, BASE_MILLIS + 2, -(1L << 40))).isTrue();
            assertThat(encoder.sampleLong(201, BASE_MILLIS + 2, 0)).isTrue();
            assertThat(encoder.sampleLong(202, BASE_MILLIS + 2, Long.MAX_VALUE)).isTrue();
            assertThat(encoder.histogram(300, BASE_MILLIS + 10, new UnsafeBuffer(encodedHistogram), 0,
                encodedHistogram.length)).isTrue();
            encoder.finish();
        }, (buffer, offset, limit) ->
        {
            final MetricsDecoder decoder = new MetricsDecoder().wrap(buffer, offset, limit);
            assertThat(decoder.baseTimeMillis()).isEqualTo(BASE_MILLIS);
            assertThat(decoder.count()).isEqualTo(METRIC_VALUES.length + 4);
            for (int i = 0; i < METRIC_VALUES.length; i++)
            {
                assertThat(decoder.next()).isTrue();
                assertThat(decoder.seriesId()).isEqualTo(i);
                assertThat(decoder.timeMillis()).isEqualTo(BASE_MILLIS + METRIC_DELTAS[i]);
                assertThat(decoder.encoding()).as("encoding of %s", METRIC_VALUES[i]).isEqualTo(METRIC_ENCODINGS[i]);
                assertThat(Double.doubleToRawLongBits(decoder.value())).as("bits of %s", METRIC_VALUES[i])
                    .isEqualTo(Double.doubleToRawLongBits(METRIC_VALUES[i]));
            }
            assertThat(decoder.next()).isTrue();
            assertThat(decoder.encoding()).isEqualTo(ValueEncoding.INT);
            assertThat(decoder.value()).isEqualTo((double)-(1L << 40));
            assertThat(decoder.next()).isTrue();
            assertThat(decoder.encoding()).isEqualTo(ValueEncoding.ZERO);
            assertThat(decoder.next()).isTrue();
            assertThat(decoder.seriesId()).isEqualTo(202);
            assertThat(decoder.value()).isEqualTo((double)Long.MAX_VALUE);

            assertThat(decoder.next()).isTrue();
            assertThat(decoder.seriesId()).isEqualTo(300);
            assertThat(decoder.timeMillis()).isEqualTo(BASE_MILLIS + 10);
            assertThat(decoder.encoding()).isEqualTo(ValueEncoding.HISTOGRAM);
            assertThat(decoder.value()).isNaN();
            final byte[] bytes = decoder.histogram().toByteArray();
            assertThat(bytes).isEqualTo(encodedHistogram);
            final Histogram decoded = Histogram.decodeFromByteBuffer(ByteBuffer.wrap(bytes), 0);
            assertThat(decoded).isEqualTo(histogram);
            assertThat(decoded.getTotalCount()).isEqualTo(1003);
            assertThat(decoded.getValueAtPercentile(50)).isEqualTo(histogram.getValueAtPercentile(50));
            assertThat(decoded.getMaxValue()).isEqualTo(histogram.getMaxValue());

            assertThat(decoder.next()).isFalse();
        });
    }

    static Sample logs()
    {
        final CharSequence[] keys = {"user", "requestId"};
        final CharSequence[] values = {"Zoë", "req-\uD83D\uDE00-1"};
        return new Sample("LOGS", MessageType.LOGS, 10, w ->
        {
            final LogsEncoder encoder = new LogsEncoder().wrap(w, BASE_NANOS);
            assertThat(encoder.record(BASE_NANOS + 1_500, LogLevel.ERROR, "com.shop.Checkout", "http-nio-8080-exec-1",
                "Payment {} failed", "Payment 42 failed", "java.io.IOException", 0xDEADBEEFL,
                0x0102030405060708L, 0x090A0B0C0D0E0F10L, 0x1112131415161718L, keys, values, 2)).isTrue();
            assertThat(encoder.record(BASE_NANOS - 7, LogLevel.INFO, "root", "main", "", "started ✓", "", 0,
                0, 0, 0, null, null, 0)).isTrue();
            encoder.finish();
        }, (buffer, offset, limit) ->
        {
            final LogsDecoder decoder = new LogsDecoder().wrap(buffer, offset, limit);
            assertThat(decoder.baseTimeNanos()).isEqualTo(BASE_NANOS);
            assertThat(decoder.count()).isEqualTo(2);
            assertThat(decoder.next()).isTrue();
            assertThat(decoder.timeNanos()).isEqualTo(BASE_NANOS + 1_500);
            assertThat(decoder.level()).isEqualTo(LogLevel.ERROR);
            assertThat(decoder.logger().toString()).isEqualTo("com.shop.Checkout");
            assertThat(decoder.thread().toString()).isEqualTo("http-nio-8080-exec-1");
            assertThat(decoder.pattern().toString()).isEqualTo("Payment {} failed");
            assertThat(decoder.message().toString()).isEqualTo("Payment 42 failed");
            assertThat(decoder.exceptionClass().toString()).isEqualTo("java.io.IOException");
            assertThat(decoder.stackFingerprint()).isEqualTo(0xDEADBEEFL);
            assertThat(decoder.traceId().byteLength()).isEqualTo(16);
            final ByteBuffer trace = ByteBuffer.wrap(decoder.traceId().toByteArray()).order(ByteOrder.BIG_ENDIAN);
            assertThat(trace.getLong()).isEqualTo(0x0102030405060708L);
            assertThat(trace.getLong()).isEqualTo(0x090A0B0C0D0E0F10L);
            assertThat(decoder.spanId().byteLength()).isEqualTo(8);
            assertThat(ByteBuffer.wrap(decoder.spanId().toByteArray()).order(ByteOrder.BIG_ENDIAN).getLong())
                .isEqualTo(0x1112131415161718L);
            assertThat(textPairs(decoder.attributes())).containsExactly(
                Map.entry("user", "Zoë"), Map.entry("requestId", "req-\uD83D\uDE00-1"));

            assertThat(decoder.next()).isTrue();
            assertThat(decoder.timeNanos()).isEqualTo(BASE_NANOS - 7);
            assertThat(decoder.level()).isEqualTo(LogLevel.INFO);
            assertThat(decoder.message().toString()).isEqualTo("started ✓");
            assertThat(decoder.exceptionClass().isEmpty()).isTrue();
            assertThat(decoder.traceId().isEmpty()).isTrue();
            assertThat(decoder.spanId().isEmpty()).isTrue();
            assertThat(decoder.attributes().count()).isZero();
            assertThat(decoder.next()).isFalse();
        });
    }

    static Sample inference()
    {
        final CharSequence[] numNames = {"age", "amount", "score"};
        final double[] numValues = {42, 99.95, Double.NaN};
        final CharSequence[] catNames = {"country"};
        final CharSequence[] catValues = {"DE"};
        return new Sample("INFERENCE", MessageType.INFERENCE, 11, w ->
        {
            final InferenceEncoder encoder = new InferenceEncoder().wrap(w, BASE_NANOS);
            assertThat(encoder.record(BASE_NANOS + 10, "fraud", "v3", 1_250_000, Outcome.OK, PredictionKind.CLASS,
                "fraud", Double.NaN, 0.97, "pred-1", numNames, numValues, 3, catNames, catValues, 1)).isTrue();
            assertThat(encoder.record(BASE_NANOS + 20, "price", "2024-06", 80_000, Outcome.OK, PredictionKind.NUMBER,
                null, -12.5, Double.NaN, "", numNames, numValues, 1, null, null, 0)).isTrue();
            assertThat(encoder.record(BASE_NANOS - 30, "price", "2024-06", 0, Outcome.ERROR, PredictionKind.NONE,
                null, Double.NaN, Double.NaN, null, null, null, 0, null, null, 0)).isTrue();
            encoder.finish();
        }, (buffer, offset, limit) ->
        {
            final InferenceDecoder decoder = new InferenceDecoder().wrap(buffer, offset, limit);
            assertThat(decoder.count()).isEqualTo(3);
            assertThat(decoder.next()).isTrue();
            assertThat(decoder.timeNanos()).isEqualTo(BASE_NANOS + 10);
            assertThat(decoder.model().toString()).isEqualTo("fraud");
            assertThat(decoder.version().toString()).isEqualTo("v3");
            assertThat(decoder.latencyNanos()).isEqualTo(1_250_000);
            assertThat(decoder.outcome()).isEqualTo(Outcome.OK);
            assertThat(decoder.predictionKind()).isEqualTo(PredictionKind.CLASS);
            assertThat(decoder.predictedClass().toString()).isEqualTo("fraud");
            assertThat(decoder.predictedNumber()).isNaN();
            assertThat(decoder.score()).isEqualTo(0.97);
            assertThat(decoder.predictionId().toString()).isEqualTo("pred-1");
            final PairCursor numeric = decoder.numericFeatures();
            assertThat(numeric.count()).isEqualTo(3);
            for (int i = 0; i < 3; i++)
            {
                assertThat(numeric.next()).isTrue();
                assertThat(numeric.key().toString()).isEqualTo(numNames[i].toString());
                assertThat(Double.doubleToRawLongBits(numeric.number()))
                    .isEqualTo(Double.doubleToRawLongBits(numValues[i]));
            }
            assertThat(numeric.next()).isFalse();
            assertThat(textPairs(decoder.categoricalFeatures())).containsExactly(Map.entry("country", "DE"));

            assertThat(decoder.next()).isTrue();
            assertThat(decoder.predictionKind()).isEqualTo(PredictionKind.NUMBER);
            assertThat(decoder.predictedNumber()).isEqualTo(-12.5);
            assertThat(decoder.predictedClass().isEmpty()).isTrue();
            assertThat(decoder.score()).isNaN();
            assertThat(decoder.predictionId().isEmpty()).isTrue();
            assertThat(decoder.numericFeatures().count()).isEqualTo(1);
            assertThat(decoder.categoricalFeatures().count()).isZero();

            assertThat(decoder.next()).isTrue();
            assertThat(decoder.timeNanos()).isEqualTo(BASE_NANOS - 30);
            assertThat(decoder.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(decoder.predictionKind()).isEqualTo(PredictionKind.NONE);
            assertThat(decoder.latencyNanos()).isZero();
            assertThat(decoder.next()).isFalse();
        });
    }

    static Sample labels()
    {
        return new Sample("LABELS", MessageType.LABELS, 12, w ->
        {
            final LabelsEncoder encoder = new LabelsEncoder().wrap(w, BASE_NANOS);
            assertThat(encoder.label(BASE_NANOS + 5_000_000_000L, "fraud", "pred-1", PredictionKind.CLASS,
                "legit", Double.NaN)).isTrue();
            assertThat(encoder.label(BASE_NANOS, "", "pred-2", PredictionKind.NUMBER, null, 13.25)).isTrue();
            encoder.finish();
        }, (buffer, offset, limit) ->
        {
            final LabelsDecoder decoder = new LabelsDecoder().wrap(buffer, offset, limit);
            assertThat(decoder.count()).isEqualTo(2);
            assertThat(decoder.next()).isTrue();
            assertThat(decoder.timeNanos()).isEqualTo(BASE_NANOS + 5_000_000_000L);
            assertThat(decoder.model().toString()).isEqualTo("fraud");
            assertThat(decoder.predictionId().toString()).isEqualTo("pred-1");
            assertThat(decoder.kind()).isEqualTo(PredictionKind.CLASS);
            assertThat(decoder.labelClass().toString()).isEqualTo("legit");
            assertThat(decoder.labelNumber()).isNaN();
            assertThat(decoder.next()).isTrue();
            assertThat(decoder.model().isEmpty()).isTrue();
            assertThat(decoder.kind()).isEqualTo(PredictionKind.NUMBER);
            assertThat(decoder.labelNumber()).isEqualTo(13.25);
            assertThat(decoder.labelClass().isEmpty()).isTrue();
            assertThat(decoder.next()).isFalse();
        });
    }

    static Sample modelEvent()
    {
        final Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("max_depth", "8");
        parameters.put("eta", "0.1");
        final Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("auc", 0.93);
        metrics.put("logloss", 0.21);
        final byte[] hash = new byte[32];
        for (int i = 0; i < hash.length; i++)
        {
            hash[i] = (byte)(i * 7 + 1);
        }
        final ModelEvent event = new ModelEvent(BASE_MILLIS, ModelEventKind.PROMOTE, "fraud", "v3", "production",
            "v2", "transactions-2024-06", hash, new byte[] {1, 2, 3}, parameters, metrics);
        return new Sample("MODEL_EVENT", MessageType.MODEL_EVENT, 13, event::encode, (buffer, offset, limit) ->
        {
            final WireReader reader = reader(buffer, offset, limit);
            final ModelEvent decoded = ModelEvent.decode(reader);
            assertThat(decoded).isEqualTo(event);
            assertThat(decoded.datasetHash()).isEqualTo(hash);
            assertThat(reader.remaining()).isZero();
        });
    }

    static Sample command()
    {
        final Map<String, String> arguments = new LinkedHashMap<>();
        arguments.put("logger", "com.shop");
        arguments.put("level", "DEBUG");
        final Command command = new Command(99, CommandKind.SET_LOG_LEVEL, arguments);
        return new Sample("COMMAND", MessageType.COMMAND, 0, command::encode, (buffer, offset, limit) ->
            assertThat(Command.decode(reader(buffer, offset, limit))).isEqualTo(command));
    }

    static Sample commandResult()
    {
        final CommandResult result = new CommandResult(99, CommandStatus.FAILED, true,
            "\"main\" #1 prio=5\n   java.lang.Thread.State: RUNNABLE ✓");
        return new Sample("COMMAND_RESULT", MessageType.COMMAND_RESULT, Long.MAX_VALUE, result::encode,
            (buffer, offset, limit) -> assertThat(CommandResult.decode(reader(buffer, offset, limit))).isEqualTo(result));
    }

    static List<Map.Entry<String, String>> textPairs(final PairCursor cursor)
    {
        final List<Map.Entry<String, String>> entries = new java.util.ArrayList<>();
        while (cursor.next())
        {
            entries.add(Map.entry(cursor.key().toString(), cursor.text().toString()));
        }
        return entries;
    }
}
