package io.sextant.protocol.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sextant.protocol.FrameWriter;
import io.sextant.protocol.MessageType;
import io.sextant.protocol.WireWriter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes frames into {@code ByteBuf}s: encode into a reusable heap buffer with
 * {@link #begin}/{@link #finish}, which copies the finished frame into a newly allocated (pooled)
 * {@code ByteBuf} that the caller writes to a channel. Used for the low-volume frames each side
 * sends (HELLO, WELCOME, ACK, NACK, HEARTBEAT, COMMAND) and by tests.
 *
 * <p>Not thread-safe: one per channel (event loop thread) or sender thread.
 */
public final class ByteBufFrames
{
    private final UnsafeBuffer scratch;
    private final FrameWriter writer = new FrameWriter();

    /**
     * @param maxFrameLength largest frame this instance writes.
     */
    public ByteBufFrames(final int maxFrameLength)
    {
        scratch = new UnsafeBuffer(new byte[maxFrameLength]);
    }

    /**
     * @param type     message type.
     * @param sequence sequence number (0 for unsequenced types).
     * @return the payload writer.
     */
    public WireWriter begin(final MessageType type, final long sequence)
    {
        return writer.begin(scratch, 0, scratch.capacity(), type, sequence);
    }

    /**
     * @param type           message type.
     * @param sequence       sequence number (0 for unsequenced types).
     * @param maxFrameLength largest frame to write this time (the peer's limit), at most the constructor's.
     * @return the payload writer.
     */
    public WireWriter begin(final MessageType type, final long sequence, final int maxFrameLength)
    {
        return writer.begin(scratch, 0, Math.min(maxFrameLength, scratch.capacity()), type, sequence);
    }

    /**
     * @param flags header flags of the frame being written.
     * @return this.
     */
    public ByteBufFrames flags(final int flags)
    {
        writer.flags(flags);
        return this;
    }

    /**
     * @param allocator to allocate the result from.
     * @return the finished frame in a new buffer the caller owns.
     */
    public ByteBuf finish(final ByteBufAllocator allocator)
    {
        final int length = writer.finish();
        final ByteBuf out = allocator.buffer(length);
        out.writeBytes(scratch.byteArray(), 0, length);
        return out;
    }

    /**
     * @param allocator to allocate from.
     * @param frame     a finished frame.
     * @param offset    of the frame.
     * @param length    of the frame.
     * @return a copy of the frame in a new buffer the caller owns.
     */
    public static ByteBuf copyOf(
        final ByteBufAllocator allocator, final DirectBuffer frame, final int offset, final int length)
    {
        final ByteBuf out = allocator.directBuffer(length);
        out.writerIndex(length);
        if (out.hasMemoryAddress())
        {
            frame.getBytes(offset, new UnsafeBuffer(out.memoryAddress(), length), 0, length);
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                out.setByte(i, frame.getByte(offset + i));
            }
        }
        return out;
    }
}
