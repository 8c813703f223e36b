package io.sextant.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Encoder behaviour at the edges: full frames, refused records, limits. An append either fits
 * entirely or leaves the payload as it was, so a sender can carry on with the next record.
 */
class EncoderTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[Frame.DEFAULT_MAX_FRAME_LENGTH]);
    private final FrameWriter frames = new FrameWriter();

    private int finishAndValidate(final MessageType type)
    {
        final int length = frames.finish();
        final MessageType validated = Frame.validate(buffer, 0, length, Frame.DEFAULT_MAX_FRAME_LENGTH,
            new FrameChecksum());
        assertThat(validated).isEqualTo(type);
        return new PayloadValidator().validate(type, buffer, Frame.HEADER_LENGTH, length);
    }

    @Test
    void fillsMetricsFrameUntilFullAndKeepsItValid()
    {
        final WireWriter payload = frames.begin(buffer, 0, 200, MessageType.METRICS, 1);
        final MetricsEncoder encoder = new MetricsEncoder().wrap(payload, 1000);
        int appended = 0;
        while (encoder.sample(appended % 100, 1000 + appended, appended * 0.1))
        {
            appended++;
        }
        encoder.finish();

        assertThat(appended).isBetween(10, 200);
        assertThat(encoder.count()).isEqualTo(appended);
        assertThat(payload.position()).isLessThanOrEqualTo(200);
        assertThat(finishAndValidate(MessageType.METRICS)).isEqualTo(appended);
    }

    @Test
    void refusesSeriesIdOutsideTheDictionaryRange()
    {
        final MetricsEncoder encoder = new MetricsEncoder().wrap(frames.begin(buffer, 0, 1000, MessageType.METRICS, 1), 0);
        for (final int id : new int[] {-1, Limits.MAX_SERIES_ID + 1, Integer.MIN_VALUE})
        {
            assertThatThrownBy(() -> encoder.sample(id, 0, 1.5)).isInstanceOfSatisfying(ProtocolException.class,
                ex -> assertThat(ex.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
            assertThatThrownBy(() -> encoder.sampleLong(id, 0, 1)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("series id " + id + " out of range");
        }
        assertThat(encoder.count()).isZero();
        encoder.finish();
        assertThat(finishAndValidate(MessageType.METRICS)).isZero();
    }

    @Test
    void refusesHistogramThatNoFrameCouldHold()
    {
        final MetricsEncoder encoder = new MetricsEncoder().wrap(frames.begin(buffer, 0, buffer.capacity(),
            MessageType.METRICS, 1), 0);
        final UnsafeBuffer huge = new UnsafeBuffer(new byte[Limits.MAX_FIELD_LENGTH + 1]);

        assertThatThrownBy(() -> encoder.histogram(1, 0, huge, 0, huge.capacity()))
            .isInstanceOf(ProtocolException.class).hasMessageContaining("histogram encoding of 65536 bytes");
        assertThat(encoder.histogram(1, 0, huge, 0, Limits.MAX_FIELD_LENGTH)).isTrue();
        encoder.finish();
        assertThat(finishAndValidate(MessageType.METRICS)).isEqualTo(1);
    }

    @Test
    void leavesPayloadAsItWasWhenALogRecordIsRefused()
    {
        final WireWriter payload = frames.begin(buffer, 0, buffer.capacity(), MessageType.LOGS, 1);
        final LogsEncoder encoder = new LogsEncoder().wrap(payload, 0);
        assertThat(encoder.record(1, LogLevel.INFO, "a", "t", "", "first", "", 0, 0, 0, 0, null, null, 0)).isTrue();
        final int before = payload.position();
        final String tooLong = "é".repeat(Limits.MAX_FIELD_LENGTH / 2 + 1);

        assertThatThrownBy(() -> encoder.record(2, LogLevel.WARN, "a", "t", "", tooLong, "", 0, 0, 0, 0,
            null, null, 0)).isInstanceOfSatisfying(ProtocolException.class,
                ex -> assertThat(ex.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED));

        assertThat(payload.position()).isEqualTo(before);
        assertThat(encoder.record(3, LogLevel.INFO, "a", "t", "", "third", "", 0, 0, 0, 0, null, null, 0)).isTrue();
        encoder.finish();
        assertThat(finishAndValidate(MessageType.LOGS)).isEqualTo(2);
        final LogsDecoder decoder = new LogsDecoder().wrap(buffer, Frame.HEADER_LENGTH, Frame.length(buffer, 0));
        assertThat(decoder.next()).isTrue();
        assertThat(decoder.next()).isTrue();
        assertThat(decoder.message().toString()).isEqualTo("third");
    }

    @Test
    void leavesPayloadAsItWasWhenTooManyPairsAreRefused()
    {
        final WireWriter payload = frames.begin(buffer, 0, buffer.capacity(), MessageType.INFERENCE, 1);
        final InferenceEncoder encoder = new InferenceEncoder().wrap(payload, 0);
        final int tooMany = Limits.MAX_PAIRS + 1;
        final CharSequence[] names = new CharSequence[tooMany];
        java.util.Arrays.fill(names, "f");
        final double[] values = new double[tooMany];
        final int before = payload.position();

        assertThatThrownBy(() -> encoder.record(1, "m", "v", 1, Outcome.OK, PredictionKind.NONE, null, 0, 0, "",
            names, values, tooMany, null, null, 0)).isInstanceOf(ProtocolException.class)
            .hasMessageContaining("1025 key/value pairs exceed the limit of 1024");

        assertThat(payload.position()).isEqualTo(before);
        final DefineEncoder define = new DefineEncoder().wrap(frames.begin(buffer, 0, buffer.capacity(),
            MessageType.DEFINE, 0));
        final int defineBefore = define.count();
        assertThatThrownBy(() -> define.series(1, SeriesKind.GAUGE, "g", "", names, names, tooMany))
            .isInstanceOf(ProtocolException.class);
        assertThat(define.count()).isEqualTo(defineBefore);
        assertThat(define.series(1, SeriesKind.GAUGE, "g", "", names, names, 2)).isTrue();
        define.finish();
        assertThat(finishAndValidate(MessageType.DEFINE)).isEqualTo(1);
    }

    @Test
    void returnsFalseInsteadOfOverrunningAFullFrame()
    {
        final WireWriter payload = frames.begin(buffer, 0, 80, MessageType.LABELS, 1);
        final LabelsEncoder encoder = new LabelsEncoder().wrap(payload, 0);

        assertThat(encoder.label(1, "m", "p", PredictionKind.NUMBER, null, 1)).isTrue();
        assertThat(encoder.label(1, "model-with-a-long-name", "p", PredictionKind.CLASS, "x".repeat(40), 0)).isFalse();
        encoder.finish();
        assertThat(finishAndValidate(MessageType.LABELS)).isEqualTo(1);
    }

    @Test
    void clampsTheFrameLimitToTheBufferEvenForHugeMaximumLengths()
    {
        final UnsafeBuffer small = new UnsafeBuffer(new byte[64]);

        final WireWriter payload = frames.begin(small, 8, Integer.MAX_VALUE, MessageType.ACK, 0);

        assertThat(payload.limit()).isEqualTo(64);
        assertThat(payload.remaining()).isEqualTo(64 - 8 - Frame.HEADER_LENGTH);
    }

    @Test
    void cutsLongNackTextOnACharacterBoundary()
    {
        final String text = "x".repeat(4095) + "\uD83D\uDE00" + "tail";
        final Nack nack = new Nack(1, ErrorCode.MALFORMED, true, text);
        final WireWriter payload = frames.begin(buffer, 0, buffer.capacity(), MessageType.NACK, 0);
        nack.encode(payload);
        frames.finish();

        final Nack decoded = Nack.decode(new WireReader().wrap(buffer, Frame.HEADER_LENGTH, Frame.length(buffer, 0)));

        assertThat(decoded.text().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
        assertThat(text).startsWith(decoded.text());
        assertThat(decoded.text()).doesNotContain("\uFFFD").doesNotEndWith("\uD83D");
    }

    @Test
    void writesUnpairedSurrogateAsQuestionMark()
    {
        final WireWriter payload = frames.begin(buffer, 0, 100, MessageType.COMMAND_RESULT, 1);
        new CommandResult(1, CommandStatus.OK, false, "a\uD800b\uDC00").encode(payload);
        frames.finish();

        final CommandResult decoded = CommandResult.decode(
            new WireReader().wrap(buffer, Frame.HEADER_LENGTH, Frame.length(buffer, 0)));

        assertThat(decoded.output()).isEqualTo("a?b?");
    }

    @Test
    void namesTheFieldAndOffsetOfATruncatedVarint()
    {
        final UnsafeBuffer bytes = new UnsafeBuffer(new byte[] {5, (byte)0x80, (byte)0x80});
        final WireReader reader = new WireReader().wrap(bytes, 1, 3);

        assertThatThrownBy(() -> reader.getVarLong("latencyNanos")).isInstanceOf(ProtocolException.class)
            .hasMessage("truncated field 'latencyNanos': needs 3 bytes at offset 1, 2 left");
        assertThat(reader.position()).isEqualTo(1);
    }
}
