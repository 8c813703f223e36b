package io.sextant.protocol;

import org.agrona.MutableDirectBuffer;

import static io.sextant.protocol.Frame.BYTE_ORDER;

/**
 * Writes one frame at a time: {@link #begin} writes the header and returns a {@link WireWriter}
 * for the payload, a message encoder fills it, and {@link #finish} writes the length and the
 * CRC32C. Allocates nothing.
 *
 * <p>Not thread-safe: owned by the encoding thread.
 */
public final class FrameWriter
{
    private final WireWriter payload = new WireWriter();
    private final FrameChecksum checksum = new FrameChecksum();
    private MutableDirectBuffer buffer;
    private int frameOffset;
    private int flags;

    /**
     * Starts a frame.
     *
     * @param buffer    to write into.
     * @param offset    where the frame starts.
     * @param maxLength the most bytes the whole frame may take.
     * @param type      message type.
     * @param sequence  sequence number: at least 1 for sequenced types, 0 otherwise.
     * @return the payload writer, positioned after the header.
     */
    public WireWriter begin(
        final MutableDirectBuffer buffer, final int offset, final int maxLength, final MessageType type,
        final long sequence)
    {
        if (maxLength < Frame.HEADER_LENGTH || buffer.capacity() - offset < Frame.HEADER_LENGTH)
        {
            throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED, "no room for a frame header");
        }
        this.buffer = buffer;
        this.frameOffset = offset;
        this.flags = 0;
        buffer.putShort(offset + Frame.MAGIC_OFFSET, Frame.MAGIC, BYTE_ORDER);
        buffer.putByte(offset + Frame.VERSION_OFFSET, (byte)Frame.VERSION);
        buffer.putByte(offset + Frame.TYPE_OFFSET, (byte)type.code());
        buffer.putShort(offset + Frame.RESERVED_OFFSET, (short)0, BYTE_ORDER);
        buffer.putLong(offset + Frame.SEQUENCE_OFFSET, sequence, BYTE_ORDER);
        final int limit = (int)Math.min((long)offset + maxLength, buffer.capacity());
        return payload.wrap(buffer, offset + Frame.HEADER_LENGTH, limit);
    }

    /**
     * @param flags header flags for the frame being written, for example {@link Frame#FLAG_RESEND}.
     * @return this.
     */
    public FrameWriter flags(final int flags)
    {
        this.flags = flags;
        return this;
    }

    /**
     * @return the payload writer of the frame being written.
     */
    public WireWriter payload()
    {
        return payload;
    }

    /**
     * Completes the frame: writes flags, length and CRC32C.
     *
     * @return the frame's total length in bytes.
     */
    public int finish()
    {
        final int length = payload.position() - frameOffset;
        buffer.putInt(frameOffset + Frame.LENGTH_OFFSET, length, BYTE_ORDER);
        buffer.putShort(frameOffset + Frame.FLAGS_OFFSET, (short)flags, BYTE_ORDER);
        buffer.putInt(frameOffset + Frame.CRC_OFFSET,
            checksum.compute(buffer, frameOffset + Frame.CRC_START, length - Frame.CRC_START), BYTE_ORDER);
        return length;
    }

    /**
     * Rewrites the flags of a complete frame and refreshes its CRC, as a sender does when it
     * marks a kept frame as a resend.
     *
     * @param buffer   holding the frame.
     * @param offset   of the frame.
     * @param flags    new flags.
     * @param checksum checksum owned by the calling thread.
     */
    public static void rewriteFlags(
        final MutableDirectBuffer buffer, final int offset, final int flags, final FrameChecksum checksum)
    {
        final int length = Frame.length(buffer, offset);
        buffer.putShort(offset + Frame.FLAGS_OFFSET, (short)flags, BYTE_ORDER);
        buffer.putInt(offset + Frame.CRC_OFFSET,
            checksum.compute(buffer, offset + Frame.CRC_START, length - Frame.CRC_START), BYTE_ORDER);
    }
}
