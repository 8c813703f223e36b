package io.sextant.protocol;

import io.sextant.protocol.MessageSamples.Sample;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RoundTripTest
{
    static List<Sample> samples()
    {
        return MessageSamples.all();
    }

    @Test
    void samplesCoverEveryMessageType()
    {
        final Set<MessageType> covered = EnumSet.noneOf(MessageType.class);
        samples().forEach(sample -> covered.add(sample.type()));
        assertThat(covered).containsExactlyInAnyOrder(MessageType.values());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void decodesWhatFrameWriterWrote(final Sample sample)
    {
        final byte[] frame = sample.frame();
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);

        final MessageType type = Frame.validate(buffer, 0, frame.length, Frame.DEFAULT_MAX_FRAME_LENGTH,
            new FrameChecksum());

        assertThat(type).isEqualTo(sample.type());
        assertThat(Frame.length(buffer, 0)).isEqualTo(frame.length);
        assertThat(Frame.sequence(buffer, 0)).isEqualTo(sample.sequence());
        assertThat(Frame.flags(buffer, 0)).isZero();
        assertThat(new PayloadValidator().validate(type, buffer, Frame.HEADER_LENGTH, frame.length)).isPositive();
        sample.check().check(buffer, Frame.HEADER_LENGTH, frame.length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void decodesFramesAtAnOffsetInOffHeapMemory(final Sample sample)
    {
        final byte[] frame = sample.frame();
        final int offset = 37;
        final ByteBuffer direct = ByteBuffer.allocateDirect(frame.length + offset + 11);
        final UnsafeBuffer viaByteBuffer = new UnsafeBuffer(direct);
        viaByteBuffer.putBytes(offset, frame);
        final UnsafeBuffer viaAddress = new UnsafeBuffer(viaByteBuffer.addressOffset(), viaByteBuffer.capacity());

        for (final UnsafeBuffer buffer : List.of(viaByteBuffer, viaAddress))
        {
            final MessageType type = Frame.validate(buffer, offset, buffer.capacity() - offset,
                Frame.DEFAULT_MAX_FRAME_LENGTH, new FrameChecksum());
            assertThat(type).isEqualTo(sample.type());
            new PayloadValidator().validate(type, buffer, offset + Frame.HEADER_LENGTH, offset + frame.length);
            sample.check().check(buffer, offset + Frame.HEADER_LENGTH, offset + frame.length);
        }
    }

    @Test
    void writesFrameThatFollowsTheHeaderLayout()
    {
        final byte[] frame = TestFrames.frame(MessageType.ACK, 0, w -> Ack.encode(w, 5));
        final ByteBuffer header = ByteBuffer.wrap(frame).order(Frame.BYTE_ORDER);

        assertThat(frame).hasSize(Frame.HEADER_LENGTH + Ack.PAYLOAD_LENGTH);
        assertThat(header.getInt(0)).isEqualTo(frame.length);
        assertThat(header.getInt(4)).isEqualTo(new FrameChecksum().compute(frame, 8, frame.length - 8));
        assertThat(frame[8]).isEqualTo((byte)'S');
        assertThat(frame[9]).isEqualTo((byte)'X');
        assertThat(frame[10]).isEqualTo((byte)1);
        assertThat(frame[11]).isEqualTo((byte)MessageType.ACK.code());
        assertThat(header.getShort(12)).isZero();
        assertThat(header.getShort(14)).isZero();
        assertThat(header.getLong(16)).isZero();
        assertThat(header.getLong(24)).isEqualTo(5);
    }

    @Test
    void marksKeptFrameAsResendWithValidChecksum()
    {
        final byte[] frame = MessageSamples.metrics().frame();
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);

        FrameWriter.rewriteFlags(buffer, 0, Frame.FLAG_RESEND, new FrameChecksum());

        assertThat(TestFrames.validate(frame)).isEqualTo(MessageType.METRICS);
        assertThat(Frame.flags(buffer, 0)).isEqualTo(Frame.FLAG_RESEND);
    }

    @Test
    void writesFlagsGivenBeforeFinish()
    {
        final byte[] frame = TestFrames.frame(MessageType.LABELS, 3, Frame.FLAG_RESEND, w ->
            new LabelsEncoder().wrap(w, 0).finish());

        assertThat(TestFrames.validate(frame)).isEqualTo(MessageType.LABELS);
        assertThat(Frame.flags(new UnsafeBuffer(frame), 0)).isEqualTo(Frame.FLAG_RESEND);
    }

    @Test
    void encodesSteadyIntegralSampleOfSmallSeriesInFewBytes()
    {
        final byte[] frame = TestFrames.frame(MessageType.METRICS, 1, w ->
        {
            final MetricsEncoder encoder = new MetricsEncoder().wrap(w, MessageSamples.BASE_MILLIS);
            encoder.sampleLong(5, MessageSamples.BASE_MILLIS, 1_234);
            encoder.finish();
        });

        // header, base time, count, then seriesId (1) + head (1) + zig-zag 2468 (2)
        assertThat(frame.length - Frame.HEADER_LENGTH - 10).isEqualTo(4);
    }
}
