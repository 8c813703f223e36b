package io.sextant.protocol;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Test helper: writes one frame with {@link FrameWriter} into a fresh array and validates frames
 * the way a receiver does.
 */
final class TestFrames
{
    private TestFrames()
    {
    }

    static byte[] frame(final MessageType type, final long sequence, final Consumer<WireWriter> payload)
    {
        return frame(type, sequence, 0, payload);
    }

    static byte[] frame(
        final MessageType type, final long sequence, final int flags, final Consumer<WireWriter> payload)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[Frame.DEFAULT_MAX_FRAME_LENGTH]);
        final FrameWriter writer = new FrameWriter();
        payload.accept(writer.begin(buffer, 0, buffer.capacity(), type, sequence));
        final int length = writer.flags(flags).finish();
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    /**
     * Rewrites the CRC of a frame (after a test has corrupted something the CRC covers).
     */
    static byte[] withFreshCrc(final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        buffer.putInt(Frame.CRC_OFFSET,
            new FrameChecksum().compute(frame, Frame.CRC_START, frame.length - Frame.CRC_START), Frame.BYTE_ORDER);
        return frame;
    }

    /**
     * Validates header and payload as a receiver does.
     *
     * @return the frame's type.
     */
    static MessageType validate(final DirectBuffer buffer, final int offset, final int available)
    {
        final MessageType type = Frame.validate(buffer, offset, available, Frame.DEFAULT_MAX_FRAME_LENGTH,
            new FrameChecksum());
        new PayloadValidator().validate(type, buffer, offset + Frame.HEADER_LENGTH,
            offset + Frame.length(buffer, offset));
        return type;
    }

    static MessageType validate(final byte[] frame)
    {
        return validate(new UnsafeBuffer(frame), 0, frame.length);
    }
}
