package io.sextant.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sextant.protocol.MessageSamples.Sample;
import io.sextant.protocol.netty.ByteBufView;
import io.sextant.protocol.netty.FrameDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Corrupt input of every kind must be refused with a {@link ProtocolException} carrying the
 * specific {@link ErrorCode} and a message that says what was wrong, both by
 * {@link Frame#validate} plus {@link PayloadValidator} and by the Netty {@link FrameDecoder}, and
 * never with any other exception or a leaked buffer.
 */
class CorruptInputTest
{
    static List<Sample> samples()
    {
        return MessageSamples.all();
    }

    static void assertRefused(final ThrowingCallable call, final ErrorCode code, final String... fragments)
    {
        assertThatThrownBy(call).isInstanceOfSatisfying(ProtocolException.class, ex ->
        {
            assertThat(ex.code()).as("error code of \"%s\"", ex.getMessage()).isEqualTo(code);
            assertThat(ex.getMessage()).contains(fragments);
        });
    }

    /** Refused directly (header and payload validation) and by the stream decoder. */
    static void assertFrameRefused(final byte[] frame, final ErrorCode code, final String... fragments)
    {
        assertRefused(() -> TestFrames.validate(frame), code, fragments);
        assertRefusedByDecoder(frame, code, fragments);
    }

    /**
     * A frame whose header is fine but whose payload is not: the stream decoder passes it on, and
     * the payload validation refuses it, both directly and on the decoder's output.
     */
    static void assertPayloadRefused(final byte[] frame, final ErrorCode code, final String... fragments)
    {
        assertRefused(() -> TestFrames.validate(frame), code, fragments);
        final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(Frame.DEFAULT_MAX_FRAME_LENGTH));
        assertThat(channel.writeInbound(Unpooled.wrappedBuffer(frame))).isTrue();
        final ByteBuf decoded = channel.readInbound();
        try
        {
            assertRefused(() -> TestFrames.validate(new ByteBufView().wrap(decoded), 0, decoded.readableBytes()),
                code, fragments);
        }
        finally
        {
            decoded.release();
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    static void assertRefusedByDecoder(final byte[] bytes, final ErrorCode code, final String... fragments)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(Frame.DEFAULT_MAX_FRAME_LENGTH));
        final FrameDecoder decoder = channel.pipeline().get(FrameDecoder.class);
        final ByteBuf input = Unpooled.copiedBuffer(bytes);
        assertRefused(() -> channel.writeInbound(input), code, fragments);
        assertThat(decoder.hasFailed()).isTrue();
        assertThat((Object)channel.readInbound()).isNull();
        // Anything after the error is discarded, even a valid frame.
        channel.writeInbound(Unpooled.copiedBuffer(MessageSamples.ack().frame()));
        assertThat((Object)channel.readInbound()).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
        assertThat(input.refCnt()).isZero();
    }

    /** A frame with a correct header and CRC around the given payload bytes. */
    static byte[] frameWithPayload(final MessageType type, final long sequence, final Consumer<WireWriter> payload)
    {
        return TestFrames.frame(type, sequence, payload);
    }

    static byte[] frameWithPayload(final MessageType type, final long sequence, final byte[] payload)
    {
        return TestFrames.frame(type, sequence, w ->
        {
            w.buffer().putBytes(w.position(), payload);
            w.position(w.position() + payload.length);
        });
    }

    static byte[] payloadOf(final byte[] frame)
    {
        return Arrays.copyOfRange(frame, Frame.HEADER_LENGTH, frame.length);
    }

    static byte[] set(final byte[] frame, final int index, final int value)
    {
        final byte[] copy = frame.clone();
        copy[index] = (byte)value;
        return copy;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void rejectsFrameTruncatedAtEveryPosition(final Sample sample)
    {
        final byte[] frame = sample.frame();
        for (int length = 0; length < frame.length; length++)
        {
            final byte[] truncated = Arrays.copyOf(frame, length);
            assertRefused(() -> Frame.validate(new UnsafeBuffer(truncated), 0, truncated.length,
                Frame.DEFAULT_MAX_FRAME_LENGTH, new FrameChecksum()), ErrorCode.MALFORMED, "truncated frame");

            // A stream decoder just waits for the rest; closing the connection drops the partial frame.
            final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(Frame.DEFAULT_MAX_FRAME_LENGTH));
            assertThat(channel.writeInbound(Unpooled.copiedBuffer(truncated))).isFalse();
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void rejectsPayloadTruncatedAtEveryPositionEvenWithValidChecksum(final Sample sample)
    {
        final byte[] payload = payloadOf(sample.frame());
        for (int length = 0; length < payload.length; length++)
        {
            final byte[] frame = frameWithPayload(sample.type(), sample.sequence(), Arrays.copyOf(payload, length));
            final UnsafeBuffer buffer = new UnsafeBuffer(frame);
            assertThat(Frame.validate(buffer, 0, frame.length, Frame.DEFAULT_MAX_FRAME_LENGTH, new FrameChecksum()))
                .isEqualTo(sample.type());
            assertRefused(() -> new PayloadValidator().validate(sample.type(), buffer, Frame.HEADER_LENGTH,
                frame.length), ErrorCode.MALFORMED, "truncated field '");
        }
    }

    @Test
    void rejectsLengthBeyondTheMaximumAsSoonAsThePrefixArrives()
    {
        final byte[] frame = MessageSamples.ack().frame();
        new UnsafeBuffer(frame).putInt(Frame.LENGTH_OFFSET, Frame.DEFAULT_MAX_FRAME_LENGTH + 1, Frame.BYTE_ORDER);

        assertFrameRefused(frame, ErrorCode.FRAME_TOO_LARGE, "frame length 1048577 exceeds the maximum of 1048576");
        assertRefusedByDecoder(Arrays.copyOf(frame, Frame.PREFIX_LENGTH), ErrorCode.FRAME_TOO_LARGE, "exceeds");
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 23})
    void rejectsLengthShorterThanTheHeader(final int length)
    {
        final byte[] frame = MessageSamples.ack().frame();
        new UnsafeBuffer(frame).putInt(Frame.LENGTH_OFFSET, length, Frame.BYTE_ORDER);

        assertFrameRefused(frame, ErrorCode.MALFORMED, "frame length " + length + " is shorter than the 24-byte header");
    }

    @Test
    void rejectsStreamThatDoesNotStartWithTheMagic()
    {
        final byte[] http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertFrameRefused(http, ErrorCode.BAD_MAGIC, "bad magic 0x5054", "does not speak the Sextant protocol");

        final byte[] frame = set(MessageSamples.heartbeat().frame(), Frame.MAGIC_OFFSET, 'x');
        assertFrameRefused(frame, ErrorCode.BAD_MAGIC, "bad magic 0x5878, expected 0x5853");
        assertRefusedByDecoder(Arrays.copyOf(frame, Frame.PREFIX_LENGTH), ErrorCode.BAD_MAGIC, "bad magic");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 255})
    void rejectsFrameWithUnknownVersion(final int version)
    {
        final byte[] frame = TestFrames.withFreshCrc(set(MessageSamples.metrics().frame(), Frame.VERSION_OFFSET, version));

        assertFrameRefused(frame, ErrorCode.UNSUPPORTED_VERSION,
            "unsupported protocol version " + version + ", this receiver speaks version 1");
        assertRefusedByDecoder(Arrays.copyOf(frame, Frame.PREFIX_LENGTH), ErrorCode.UNSUPPORTED_VERSION, "version");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 14, 127, 255})
    void rejectsFrameWithUnknownType(final int type)
    {
        final byte[] frame = TestFrames.withFreshCrc(set(MessageSamples.ack().frame(), Frame.TYPE_OFFSET, type));

        assertFrameRefused(frame, ErrorCode.UNKNOWN_TYPE, "unknown message type " + type);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void rejectsEverySingleBitFlipCoveredByTheChecksum(final Sample sample)
    {
        final byte[] frame = sample.frame();
        for (int index = Frame.CRC_OFFSET; index < frame.length; index++)
        {
            if (index >= Frame.MAGIC_OFFSET && index < Frame.TYPE_OFFSET)
            {
                continue; // magic and version are checked before the CRC: see the tests above
            }
            for (int bit = 0; bit < 8; bit++)
            {
                final byte[] corrupt = set(frame, index, frame[index] ^ (1 << bit));
                assertRefused(() -> TestFrames.validate(corrupt), ErrorCode.CRC_MISMATCH, "CRC32C mismatch");
                if (index % 7 == 0 || index < Frame.HEADER_LENGTH)
                {
                    assertRefusedByDecoder(corrupt, ErrorCode.CRC_MISMATCH, "CRC32C mismatch: header says 0x");
                }
            }
        }
    }

    @Test
    void rejectsEverySingleBitFlipInTheLengthField()
    {
        final byte[] frame = MessageSamples.logs().frame();
        for (int bit = 0; bit < 32; bit++)
        {
            final byte[] corrupt = set(frame, bit / 8, frame[bit / 8] ^ (1 << (bit % 8)));
            final int length = new UnsafeBuffer(corrupt).getInt(0, Frame.BYTE_ORDER);
            if (length > Frame.DEFAULT_MAX_FRAME_LENGTH)
            {
                assertFrameRefused(corrupt, ErrorCode.FRAME_TOO_LARGE, "exceeds the maximum");
            }
            else if (length < Frame.HEADER_LENGTH)
            {
                assertFrameRefused(corrupt, ErrorCode.MALFORMED, "shorter than the 24-byte header");
            }
            else if (length > frame.length)
            {
                assertRefused(() -> TestFrames.validate(corrupt), ErrorCode.MALFORMED, "truncated frame");
            }
            else
            {
                assertFrameRefused(corrupt, ErrorCode.CRC_MISMATCH, "CRC32C mismatch");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"METRICS", "LOGS", "INFERENCE", "LABELS", "MODEL_EVENT", "COMMAND_RESULT"})
    void rejectsSequencedFrameWithSequenceZeroOrNegative(final MessageType type)
    {
        assertFrameRefused(TestFrames.frame(type, 0, w -> { }), ErrorCode.MALFORMED,
            type + " frame with sequence 0: sequenced frames number from 1");
        assertFrameRefused(TestFrames.frame(type, -3, w -> { }), ErrorCode.MALFORMED, "sequence -3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HELLO", "WELCOME", "HEARTBEAT", "ACK", "NACK", "DEFINE", "COMMAND"})
    void rejectsUnsequencedFrameWithASequence(final MessageType type)
    {
        assertFrameRefused(TestFrames.frame(type, 1, w -> { }), ErrorCode.MALFORMED,
            type + " frame with sequence 1: must be 0 for this type");
    }

    @Test
    void rejectsUnknownSeriesKind()
    {
        for (final int kind : new int[] {0, 4, 255})
        {
            final byte[] frame = frameWithPayload(MessageType.DEFINE, 0, w ->
                w.putShort(1).putVarLong(5).putByte(kind).putString("x").putString("").putVarLong(0));
            assertPayloadRefused(frame, ErrorCode.MALFORMED, "unknown series kind " + kind);
        }
    }

    @Test
    void rejectsReservedValueEncodings()
    {
        for (final int encoding : new int[] {5, 6, 7})
        {
            final byte[] frame = frameWithPayload(MessageType.METRICS, 1, w ->
                w.putLong(0).putShort(1).putVarLong(1).putByte(encoding).putLong(0));
            assertPayloadRefused(frame, ErrorCode.MALFORMED, "sample 1 has unknown value encoding " + encoding);
        }
    }

    @Test
    void rejectsUnknownLogLevel()
    {
        for (final int level : new int[] {0, 7, 200})
        {
            final byte[] frame = frameWithPayload(MessageType.LOGS, 1, w -> w.putLong(0).putShort(1).putZigZag(0)
                .putByte(level));
            assertPayloadRefused(frame, ErrorCode.MALFORMED, "log record 1 has unknown level " + level);
        }
    }

    static Consumer<WireWriter> inferenceHead(final int outcome, final int kind)
    {
        return w -> w.putLong(0).putShort(1).putZigZag(0).putString("m").putString("v").putVarLong(5)
            .putByte(outcome).putByte(kind);
    }

    @Test
    void rejectsUnknownInferenceOutcomeAndPredictionKind()
    {
        assertPayloadRefused(frameWithPayload(MessageType.INFERENCE, 1, inferenceHead(2, 0)), ErrorCode.MALFORMED,
            "inference 1 has unknown outcome 2");
        assertPayloadRefused(frameWithPayload(MessageType.INFERENCE, 1, inferenceHead(0, 3)), ErrorCode.MALFORMED,
            "inference 1 has unknown prediction kind 3");
    }

    @Test
    void rejectsNegativeInferenceLatency()
    {
        final byte[] frame = frameWithPayload(MessageType.INFERENCE, 1, w -> w.putLong(0).putShort(1).putZigZag(0)
            .putString("m").putString("v").putVarLong(-1).putByte(0).putByte(0));
        assertPayloadRefused(frame, ErrorCode.MALFORMED, "negative latency");
    }

    @Test
    void rejectsLabelWithoutClassOrNumber()
    {
        for (final int kind : new int[] {0, 3})
        {
            final byte[] frame = frameWithPayload(MessageType.LABELS, 1, w -> w.putLong(0).putShort(1).putZigZag(0)
                .putString("m").putString("p").putByte(kind).putDouble(1));
            assertPayloadRefused(frame, ErrorCode.MALFORMED, "label 1 has invalid kind " + kind);
        }
    }

    @Test
    void rejectsUnknownModelEventCommandAndStatusCodes()
    {
        assertPayloadRefused(frameWithPayload(MessageType.MODEL_EVENT, 1, w -> w.putLong(0).putByte(5)),
            ErrorCode.MALFORMED, "unknown model event kind 5");
        assertPayloadRefused(frameWithPayload(MessageType.COMMAND, 0, w -> w.putLong(0).putByte(0)),
            ErrorCode.MALFORMED, "unknown command kind 0");
        assertPayloadRefused(frameWithPayload(MessageType.COMMAND_RESULT, 1, w -> w.putLong(0).putByte(4)),
            ErrorCode.MALFORMED, "unknown command status 4");
    }

    @Test
    void rejectsTraceAndSpanIdsOfTheWrongLength()
    {
        assertPayloadRefused(frameWithPayload(MessageType.LOGS, 1, w -> logHead(w).putBytes(new byte[8])),
            ErrorCode.MALFORMED, "traceId must be 0 or 16 bytes, got 8");
        assertPayloadRefused(frameWithPayload(MessageType.LOGS, 1, w -> logHead(w).putBytes(new byte[0])
            .putBytes(new byte[16])), ErrorCode.MALFORMED, "spanId must be 0 or 8 bytes, got 16");
    }

    static WireWriter logHead(final WireWriter w)
    {
        return w.putLong(0).putShort(1).putZigZag(0).putByte(3).putString("l").putString("t").putString("")
            .putString("m").putString("").putLong(0);
    }

    @Test
    void rejectsVarintLongerThanTenBytes()
    {
        final byte[] elevenBytes = new byte[11];
        Arrays.fill(elevenBytes, (byte)0x80);
        elevenBytes[10] = 0;
        final byte[] payload = new byte[10 + 11];
        payload[8] = 1; // count 1
        System.arraycopy(elevenBytes, 0, payload, 10, 11);

        assertPayloadRefused(frameWithPayload(MessageType.METRICS, 1, payload), ErrorCode.MALFORMED,
            "varint field 'seriesId' at offset 34 overflows 64 bits");
    }

    @Test
    void rejectsVarintWhoseTenthByteOverflows64Bits()
    {
        final byte[] payload = {0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        final byte[] varint = {(byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF,
            (byte)0xFF, (byte)0xFF, 0x02};
        payload[10] = 1;    // seriesId 1
        payload[11] = (byte)(0x1F << 3); // head: explicit delta follows, ZERO
        System.arraycopy(varint, 0, payload, 12, varint.length);

        assertPayloadRefused(frameWithPayload(MessageType.METRICS, 1, payload), ErrorCode.MALFORMED,
            "varint field 'timeDelta'", "overflows 64 bits");
    }

    @Test
    void acceptsTheLargestTenByteVarint()
    {
        final byte[] frame = frameWithPayload(MessageType.METRICS, 1, w ->
            w.putLong(0).putShort(1).putVarLong(1).putByte(0xF8).putVarLong(-1L));

        assertThat(TestFrames.validate(frame)).isEqualTo(MessageType.METRICS);
    }

    @Test
    void rejectsSeriesIdAboveTheLimit()
    {
        final byte[] frame = frameWithPayload(MessageType.METRICS, 1, w ->
            w.putLong(0).putShort(1).putVarLong(Limits.MAX_SERIES_ID + 1L).putByte(0));

        assertPayloadRefused(frame, ErrorCode.LIMIT_EXCEEDED, "field 'seriesId'", "is 16777216, the limit is 16777215");
    }

    @Test
    void rejectsStringLengthBeyondTheFrame()
    {
        final byte[] frame = frameWithPayload(MessageType.DEFINE, 0, w ->
            w.putShort(1).putVarLong(1).putByte(2).putVarLong(1000).putByte('j'));

        assertPayloadRefused(frame, ErrorCode.MALFORMED, "truncated field 'name': needs 1000 bytes", "1 left");
    }

    @Test
    void rejectsStringLengthBeyondTheFieldLimit()
    {
        final byte[] frame = frameWithPayload(MessageType.COMMAND_RESULT, 1, w ->
            w.putLong(1).putByte(0).putByte(0).putVarLong(Limits.MAX_FIELD_LENGTH + 1L));

        assertPayloadRefused(frame, ErrorCode.LIMIT_EXCEEDED, "field 'output'", "is 65536, the limit is 65535");
    }

    @Test
    void rejectsMorePairsThanTheLimit()
    {
        final byte[] frame = frameWithPayload(MessageType.COMMAND, 0, w ->
            w.putLong(1).putByte(1).putVarLong(Limits.MAX_PAIRS + 1));

        assertPayloadRefused(frame, ErrorCode.LIMIT_EXCEEDED, "field 'arguments'", "is 1025, the limit is 1024");
    }

    @Test
    void rejectsRecordCountLargerThanThePayload()
    {
        final byte[] payload = payloadOf(MessageSamples.labels().frame());
        payload[8] = 3; // the sample has 2 labels

        assertPayloadRefused(frameWithPayload(MessageType.LABELS, 1, payload), ErrorCode.MALFORMED,
            "truncated field 'timeDelta'");
    }

    @Test
    void ignoresBytesAfterTheLastKnownField()
    {
        final byte[] payload = payloadOf(MessageSamples.labels().frame());
        final byte[] extended = Arrays.copyOf(payload, payload.length + 5);

        assertThat(TestFrames.validate(frameWithPayload(MessageType.LABELS, 1, extended))).isEqualTo(MessageType.LABELS);
    }
}
