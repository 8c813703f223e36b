package io.sextant.protocol.netty;

import io.netty.buffer.ByteBuf;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Presents a {@code ByteBuf} region as an Agrona {@link DirectBuffer} so the protocol's flyweights
 * can read it: directly through the memory address or backing array when Netty exposes one, or
 * through a reused copy otherwise. The view is valid while the {@code ByteBuf} is, and until the
 * next {@link #wrap}.
 *
 * <p>Not thread-safe: one per channel or per decoding thread.
 */
public final class ByteBufView
{
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private UnsafeBuffer copy;

    /**
     * @param buf    the buffer.
     * @param index  first byte of the region.
     * @param length length of the region.
     * @return a buffer whose byte 0 is the region's first byte.
     */
    public DirectBuffer wrap(final ByteBuf buf, final int index, final int length)
    {
        if (buf.hasMemoryAddress())
        {
            view.wrap(buf.memoryAddress() + index, length);
            return view;
        }
        if (buf.hasArray())
        {
            view.wrap(buf.array(), buf.arrayOffset() + index, length);
            return view;
        }
        if (copy == null || copy.capacity() < length)
        {
            copy = new UnsafeBuffer(new byte[Math.max(length, 4096)]);
        }
        buf.getBytes(index, copy.byteArray(), 0, length);
        return copy;
    }

    /**
     * @param frame a whole frame as emitted by {@link FrameDecoder}.
     * @return the frame's readable bytes as a buffer starting at offset 0.
     */
    public DirectBuffer wrap(final ByteBuf frame)
    {
        return wrap(frame, frame.readerIndex(), frame.readableBytes());
    }
}
