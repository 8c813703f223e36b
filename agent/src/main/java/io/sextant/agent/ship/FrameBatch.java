package io.sextant.agent.ship;

import io.sextant.protocol.Frame;
import io.sextant.protocol.FrameWriter;
import io.sextant.protocol.MessageType;
import io.sextant.protocol.WireWriter;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * One frame being filled: a scratch buffer the size of the largest frame, the frame writer over
 * it, and when the first record went in. The sequence number is written only when the batch is
 * sealed into {@link KeptFrames}, so an empty batch never consumes one.
 *
 * <p>Owned by the sender thread.
 */
final class FrameBatch
{
    final MessageType type;
    final UnsafeBuffer scratch;
    final FrameWriter writer = new FrameWriter();
    private boolean open;
    private long openedAtNanos;

    FrameBatch(final MessageType type, final int maxFrameLength)
    {
        this.type = type;
        this.scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(maxFrameLength));
    }

    /**
     * @param nowNanos the clock.
     * @param limit    the largest frame the collector accepts now.
     * @return the payload writer of a new frame.
     */
    WireWriter begin(final long nowNanos, final int limit)
    {
        open = true;
        openedAtNanos = nowNanos;
        return writer.begin(scratch, 0, Math.min(limit, scratch.capacity()), type, 1);
    }

    boolean isOpen()
    {
        return open;
    }

    long openedAtNanos()
    {
        return openedAtNanos;
    }

    /**
     * @return bytes written so far (header included).
     */
    int length()
    {
        return writer.payload().position();
    }

    /**
     * Numbers and completes the frame (length and CRC).
     *
     * @param sequence the frame's sequence number.
     * @return the frame length.
     */
    int seal(final long sequence)
    {
        scratch.putLong(Frame.SEQUENCE_OFFSET, sequence, Frame.BYTE_ORDER);
        final int length = writer.finish();
        open = false;
        return length;
    }

    void discard()
    {
        open = false;
    }
}
