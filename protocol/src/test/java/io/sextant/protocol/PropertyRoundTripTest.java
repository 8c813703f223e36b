package io.sextant.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sextant.protocol.netty.ByteBufView;
import io.sextant.protocol.netty.FrameDecoder;
import io.sextant.protocol.netty.NoLeaks;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Random messages survive encode → frame → validate → decode unchanged: strings (any UTF-16,
 * including non-ASCII, surrogate pairs and unpaired surrogates), doubles compared bit for bit
 * (NaN payloads, ±0, ±∞, subnormals), any longs and any counts. Random bytes are refused with a
 * {@link ProtocolException} and nothing else.
 */
class PropertyRoundTripTest
{
    /** What the encoder promises for a string: UTF-8 with unpaired surrogates written as '?'. */
    static String wireForm(final String value)
    {
        return new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<String> strings()
    {
        final Arbitrary<String> anyChars = Arbitraries.strings().all().ofMaxLength(40);
        final Arbitrary<String> codePoints = Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
            .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
            .list().ofMaxSize(20)
            .map(cps -> cps.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString());
        return Arbitraries.oneOf(anyChars, codePoints, Arbitraries.of("", "a", "é", "€", "\uD83D\uDE80", "\uD800"));
    }

    @Provide
    Arbitrary<Double> doubles()
    {
        return Arbitraries.oneOf(
            Arbitraries.longs().map(Double::longBitsToDouble),
            Arbitraries.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL),
                Double.MAX_VALUE, 0x1p53, -0x1p53, 0x1p53 - 1, Double.longBitsToDouble(0x7ff0000000000001L),
                Double.longBitsToDouble(0xfff8000000000123L), (double)Float.MIN_VALUE, (double)Float.MAX_VALUE),
            Arbitraries.longs().between(-(1L << 54), 1L << 54).map(v -> (double)v),
            Arbitraries.floats().map(f -> (double)f),
            Arbitraries.integers().between(-100_000, 100_000).map(v -> v / 100.0));
    }

    @Provide
    Arbitrary<List<Double>> featureValues()
    {
        return doubles().list().ofMaxSize(30);
    }

    record Sample(int seriesId, long timeMillis, double value)
    {
    }

    @Provide
    Arbitrary<List<Sample>> metricSamples()
    {
        final Arbitrary<Integer> ids = Arbitraries.oneOf(Arbitraries.integers().between(0, 127),
            Arbitraries.integers().between(0, Limits.MAX_SERIES_ID));
        final Arbitrary<Long> times = Arbitraries.oneOf(Arbitraries.longs().between(-40, 40),
            Arbitraries.longs());
        return Combinators.combine(ids, times, doubles()).as(Sample::new).list().ofMaxSize(300);
    }

    @Property(tries = 300)
    void metricSamplesRoundTripBitForBit(
        @ForAll("metricSamples") final List<Sample> samples, @ForAll final long baseTime)
    {
        final byte[] frame = TestFrames.frame(MessageType.METRICS, 1, w ->
        {
            final MetricsEncoder encoder = new MetricsEncoder().wrap(w, baseTime);
            for (final Sample sample : samples)
            {
                assertThat(encoder.sample(sample.seriesId(), baseTime + sample.timeMillis(), sample.value())).isTrue();
            }
            encoder.finish();
        });
        assertThat(TestFrames.validate(frame)).isEqualTo(MessageType.METRICS);

        final MetricsDecoder decoder = new MetricsDecoder().wrap(new UnsafeBuffer(frame), Frame.HEADER_LENGTH,
            frame.length);
        assertThat(decoder.count()).isEqualTo(samples.size());
        for (final Sample sample : samples)
        {
            assertThat(decoder.next()).isTrue();
            assertThat(decoder.seriesId()).isEqualTo(sample.seriesId());
            assertThat(decoder.timeMillis()).isEqualTo(baseTime + sample.timeMillis());
            assertThat(Double.doubleToRawLongBits(decoder.value())).as("bits of %s", sample.value())
                .isEqualTo(Double.doubleToRawLongBits(sample.value()));
        }
        assertThat(decoder.next()).isFalse();
    }

    @Property(tries = 300)
    void integralSamplesRoundTripExactly(@ForAll final long value, @ForAll @IntRange(max = 16383) final int id)
    {
        final byte[] frame = TestFrames.frame(MessageType.METRICS, 7, w ->
        {
            final MetricsEncoder encoder = new MetricsEncoder().wrap(w, 0);
            encoder.sampleLong(id, 3, value);
            encoder.finish();
        });
        final MetricsDecoder decoder = new MetricsDecoder().wrap(new UnsafeBuffer(frame), Frame.HEADER_LENGTH,
            frame.length);

        assertThat(decoder.next()).isTrue();
        assertThat(decoder.value()).isEqualTo((double)value);
        if (Math.abs(value) < (1L << 53))
        {
            assertThat((long)decoder.value()).isEqualTo(value);
        }
    }

    @Property(tries = 200)
    void logRecordsRoundTrip(
        @ForAll("strings") final String logger, @ForAll("strings") final String message,
        @ForAll("strings") final String attrKey, @ForAll("strings") final String attrValue,
        @ForAll final long baseNanos, @ForAll final long timeNanos, @ForAll final long fingerprint,
        @ForAll final long traceHigh, @ForAll final long traceLow, @ForAll final long spanId,
        @ForAll @IntRange(max = 40) final int records, @ForAll @IntRange(max = 20) final int attributes)
    {
        final CharSequence[] keys = new CharSequence[attributes];
        final CharSequence[] values = new CharSequence[attributes];
        for (int i = 0; i < attributes; i++)
        {
            keys[i] = attrKey + i;
            values[i] = attrValue;
        }
        final byte[] frame = TestFrames.frame(MessageType.LOGS, 2, w ->
        {
            final LogsEncoder encoder = new LogsEncoder().wrap(w, baseNanos);
            for (int i = 0; i < records; i++)
            {
                assertThat(encoder.record(timeNanos + i, LogLevel.values()[i % 6], logger, "t" + i, message, message,
                    "", fingerprint, traceHigh, traceLow, spanId, keys, values, attributes)).isTrue();
            }
            encoder.finish();
        });
        assertThat(TestFrames.validate(frame)).isEqualTo(MessageType.LOGS);

        final LogsDecoder decoder = new LogsDecoder().wrap(new UnsafeBuffer(frame), Frame.HEADER_LENGTH, frame.length);
        assertThat(decoder.count()).isEqualTo(records);
        for (int i = 0; i < records; i++)
        {
            assertThat(decoder.next()).isTrue();
            assertThat(decoder.timeNanos()).isEqualTo(timeNanos + i);
            assertThat(decoder.level()).isEqualTo(LogLevel.values()[i % 6]);
            assertThat(decoder.logger().toString()).isEqualTo(wireForm(logger));
            assertThat(decoder.message().toString()).isEqualTo(wireForm(message));
            assertThat(decoder.message().contentEquals(wireForm(message))).isTrue();
            assertThat(decoder.thread().contentEquals("t" + i)).isTrue();
            assertThat(decoder.stackFingerprint()).isEqualTo(fingerprint);
            assertThat(decoder.traceId().byteLength()).isEqualTo(traceHigh == 0 && traceLow == 0 ? 0 : 16);
            assertThat(decoder.spanId().byteLength()).isEqualTo(spanId == 0 ? 0 : 8);
            final PairCursor cursor = decoder.attributes();
            assertThat(cursor.count()).isEqualTo(attributes);
            for (int a = 0; a < attributes; a++)
            {
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.key().toString()).isEqualTo(wireForm(attrKey + a));
                assertThat(cursor.text().toString()).isEqualTo(wireForm(attrValue));
            }
        }
        assertThat(decoder.next()).isFalse();
    }

    @Property(tries = 200)
    void inferenceRecordsRoundTripBitForBit(
        @ForAll("strings") final String model, @ForAll("strings") final String label,
        @ForAll("doubles") final double number, @ForAll("doubles") final double score,
        @ForAll("featureValues") final List<Double> features,
        @ForAll final long baseNanos, @ForAll final long timeNanos,
        @ForAll @LongRange(min = 0) final long latency, @ForAll @IntRange(max = 2) final int kindCode)
    {
        final PredictionKind kind = PredictionKind.of(kindCode);
        final CharSequence[] names = new CharSequence[features.size()];
        final double[] values = new double[features.size()];
        for (int i = 0; i < values.length; i++)
        {
            names[i] = "f" + i;
            values[i] = features.get(i);
        }
        final byte[] frame = TestFrames.frame(MessageType.INFERENCE, 3, w ->
        {
            final InferenceEncoder encoder = new InferenceEncoder().wrap(w, baseNanos);
            assertThat(encoder.record(timeNanos, model, label, latency, Outcome.OK, kind, label, number, score, label,
                names, values, values.length, new CharSequence[] {model}, new CharSequence[] {label}, 1)).isTrue();
            encoder.finish();
        });
        assertThat(TestFrames.validate(frame)).isEqualTo(MessageType.INFERENCE);

        final InferenceDecoder decoder = new InferenceDecoder().wrap(new UnsafeBuffer(frame), Frame.HEADER_LENGTH,
            frame.length);
        assertThat(decoder.next()).isTrue();
        assertThat(decoder.timeNanos()).isEqualTo(timeNanos);
        assertThat(decoder.model().toString()).isEqualTo(wireForm(model));
        assertThat(decoder.latencyNanos()).isEqualTo(latency);
        assertThat(decoder.predictionKind()).isEqualTo(kind);
        if (kind == PredictionKind.CLASS)
        {
            assertThat(decoder.predictedClass().toString()).isEqualTo(wireForm(label));
        }
        if (kind == PredictionKind.NUMBER)
        {
            assertThat(Double.doubleToRawLongBits(decoder.predictedNumber()))
                .isEqualTo(Double.doubleToRawLongBits(number));
        }
        assertThat(Double.doubleToRawLongBits(decoder.score())).isEqualTo(Double.doubleToRawLongBits(score));
        final PairCursor numeric = decoder.numericFeatures();
        assertThat(numeric.count()).isEqualTo(values.length);
        for (final double value : values)
        {
            assertThat(numeric.next()).isTrue();
            assertThat(Double.doubleToRawLongBits(numeric.number())).isEqualTo(Double.doubleToRawLongBits(value));
        }
        assertThat(MessageSamples.textPairs(decoder.categoricalFeatures()))
            .containsExactly(Map.entry(wireForm(model), wireForm(label)));
    }

    @Property(tries = 200)
    void labelsRoundTrip(
        @ForAll("strings") final String model, @ForAll("strings") final String id, @ForAll("doubles") final double value,
        @ForAll final long baseNanos, @ForAll @Size(max = 50) final List<Long> times)
    {
        final byte[] frame = TestFrames.frame(MessageType.LABELS, 4, w ->
        {
            final LabelsEncoder encoder = new LabelsEncoder().wrap(w, baseNanos);
            for (int i = 0; i < times.size(); i++)
            {
                final PredictionKind kind = i % 2 == 0 ? PredictionKind.CLASS : PredictionKind.NUMBER;
                assertThat(encoder.label(times.get(i), model, id, kind, id, value)).isTrue();
            }
            encoder.finish();
        });
        assertThat(TestFrames.validate(frame)).isEqualTo(MessageType.LABELS);

        final LabelsDecoder decoder = new LabelsDecoder().wrap(new UnsafeBuffer(frame), Frame.HEADER_LENGTH,
            frame.length);
        for (int i = 0; i < times.size(); i++)
        {
            assertThat(decoder.next()).isTrue();
            assertThat(decoder.timeNanos()).isEqualTo(times.get(i));
            assertThat(decoder.predictionId().toString()).isEqualTo(wireForm(id));
            if (i % 2 == 0)
            {
                assertThat(decoder.labelClass().toString()).isEqualTo(wireForm(id));
            }
            else
            {
                assertThat(Double.doubleToRawLongBits(decoder.labelNumber())).isEqualTo(Double.doubleToRawLongBits(value));
            }
        }
        assertThat(decoder.next()).isFalse();
    }

    @Property(tries = 200)
    void controlMessagesRoundTrip(
        @ForAll("strings") final String text, @ForAll("strings") final String key, @ForAll final long a,
        @ForAll final long b, @ForAll final int c, @ForAll("doubles") final double metric,
        @ForAll @Size(max = 40) final byte[] hash)
    {
        final Map<String, String> pairs = new LinkedHashMap<>();
        pairs.put(wireForm(key), wireForm(text));
        pairs.put("k2", "");
        final Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(wireForm(key), metric);
        final String wire = wireForm(text);

        final Hello hello = new Hello(new UUID(a, b), a, b, a ^ b, b, wire, wire, wire, wire, wire, pairs);
        final Welcome welcome = new Welcome(a, b, c, c, a, wire);
        final Nack nack = new Nack(a, c & 0xFFFF, (c & 1) == 0, wire);
        final ModelEvent event = new ModelEvent(a, ModelEventKind.values()[Math.floorMod(c, 4)], wire, wire, wire, wire,
            wire, hash, hash, pairs, metrics);
        final Command command = new Command(a, CommandKind.values()[Math.floorMod(c, 3)], pairs);
        final CommandResult result = new CommandResult(b, CommandStatus.values()[Math.floorMod(c, 4)], c < 0, wire);

        assertThat(roundTrip(MessageType.HELLO, 0, hello::encode, Hello::decode)).isEqualTo(hello);
        assertThat(roundTrip(MessageType.WELCOME, 0, welcome::encode, Welcome::decode)).isEqualTo(welcome);
        assertThat(roundTrip(MessageType.NACK, 0, nack::encode, Nack::decode)).isEqualTo(nack);
        assertThat(roundTrip(MessageType.MODEL_EVENT, 5, event::encode, ModelEvent::decode)).isEqualTo(event);
        assertThat(roundTrip(MessageType.COMMAND, 0, command::encode, Command::decode)).isEqualTo(command);
        assertThat(roundTrip(MessageType.COMMAND_RESULT, 6, result::encode, CommandResult::decode)).isEqualTo(result);
        assertThat(roundTrip(MessageType.ACK, 0, w -> Ack.encode(w, a), Ack::decode)).isEqualTo(a);
        final List<Long> heartbeat = roundTrip(MessageType.HEARTBEAT, 0, w -> Heartbeat.encode(w, a, b),
            r -> List.of(Heartbeat.sentAtNanos(r), Heartbeat.echoNanos(r)));
        assertThat(heartbeat).containsExactly(a, b);
    }

    static <T> T roundTrip(
        final MessageType type, final long sequence, final java.util.function.Consumer<WireWriter> encode,
        final java.util.function.Function<WireReader, T> decode)
    {
        final byte[] frame = TestFrames.frame(type, sequence, encode);
        assertThat(TestFrames.validate(frame)).isEqualTo(type);
        return decode.apply(new WireReader().wrap(new UnsafeBuffer(frame), Frame.HEADER_LENGTH, frame.length));
    }

    @Property(tries = 1000)
    void refusesRandomBytesOnlyWithProtocolException(@ForAll @Size(max = 200) final byte[] bytes)
    {
        final Throwable thrown = catchThrowable(() -> TestFrames.validate(bytes));
        if (thrown != null)
        {
            assertThat(thrown).isInstanceOf(ProtocolException.class);
            assertThat(((ProtocolException)thrown).code()).isNotNull();
            assertThat(thrown.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 1000)
    void refusesRandomPayloadsWithValidChecksumOnlyWithProtocolException(
        @ForAll @IntRange(min = 1, max = 13) final int typeCode, @ForAll @Size(max = 300) final byte[] payload)
    {
        final MessageType type = MessageType.of(typeCode);
        final byte[] frame = CorruptInputTest.frameWithPayload(type, type.isSequenced() ? 1 : 0, payload);
        final Throwable thrown = catchThrowable(() -> TestFrames.validate(frame));
        if (thrown != null)
        {
            assertThat(thrown).isInstanceOf(ProtocolException.class);
            assertThat(((ProtocolException)thrown).code()).isIn(ErrorCode.MALFORMED, ErrorCode.LIMIT_EXCEEDED);
        }
    }

    @Property(tries = 2000)
    void metricsDecoderAgreesWithAPlainFieldByFieldDecoderOnAnyPayload(
        @ForAll("metricSamples") final List<Sample> samples, @ForAll final long noiseSeed,
        @ForAll @IntRange(max = 40) final int noiseLength, @ForAll @IntRange(max = 400) final int cut,
        @ForAll @IntRange(max = 400) final int noiseAt)
    {
        final byte[] noise = new byte[noiseLength];
        new java.util.Random(noiseSeed).nextBytes(noise);
        // A valid payload, then corrupted: cut short and/or overwritten with random bytes somewhere.
        final byte[] frame = TestFrames.frame(MessageType.METRICS, 1, w ->
        {
            final MetricsEncoder encoder = new MetricsEncoder().wrap(w, 1000);
            for (final Sample sample : samples)
            {
                encoder.sample(sample.seriesId(), 1000 + sample.timeMillis(), sample.value());
            }
            encoder.finish();
        });
        final byte[] payload = java.util.Arrays.copyOfRange(frame, Frame.HEADER_LENGTH, frame.length);
        final int start = Math.min(noiseAt, payload.length);
        System.arraycopy(noise, 0, payload, start, Math.min(noise.length, payload.length - start));
        final int limit = Math.max(0, payload.length - cut);
        final UnsafeBuffer buffer = new UnsafeBuffer(payload);

        assertThat(ReferenceMetricsDecoder.decodeWith(new MetricsDecoder(), buffer, 0, limit))
            .isEqualTo(ReferenceMetricsDecoder.decode(buffer, 0, limit));
    }

    @Property(tries = 300)
    void streamDecoderRefusesRandomBytesOnlyWithProtocolException(
        @ForAll @Size(max = 300) final byte[] bytes, @ForAll @IntRange(min = 1, max = 64) final int chunk)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(4096));
        try
        {
            for (int i = 0; i < bytes.length; i += chunk)
            {
                final ByteBuf buf = Unpooled.copiedBuffer(bytes, i, Math.min(chunk, bytes.length - i));
                final Throwable thrown = catchThrowable(() -> channel.writeInbound(buf));
                if (thrown != null)
                {
                    assertThat(thrown).isInstanceOf(ProtocolException.class);
                }
                ByteBuf frame;
                while ((frame = channel.readInbound()) != null)
                {
                    final ByteBuf decoded = frame;
                    try
                    {
                        catchThrowable(() -> TestFrames.validate(new ByteBufView().wrap(decoded), 0,
                            decoded.readableBytes()));
                    }
                    finally
                    {
                        decoded.release();
                    }
                }
            }
        }
        finally
        {
            channel.finishAndReleaseAll();
        }
    }

    @Property(tries = 50)
    void refusesStringsLongerThanTheFieldLimitWhenWriting(@ForAll @IntRange(min = 1, max = 100) final int extra)
    {
        final String tooLong = "a".repeat(Limits.MAX_FIELD_LENGTH + extra);
        assertThatThrownBy(() -> TestFrames.frame(MessageType.COMMAND_RESULT, 1,
            w -> new CommandResult(1, CommandStatus.OK, false, tooLong).encode(w)))
            .isInstanceOfSatisfying(ProtocolException.class,
                ex -> assertThat(ex.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
    }

    @AfterContainer
    static void noBufferLeaked()
    {
        NoLeaks.assertNoLeaks();
    }
}
