package io.sextant.protocol;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C over a region of an Agrona buffer, using the JDK's intrinsic {@link CRC32C} without
 * allocating: heap buffers go straight through their array, buffers over a direct
 * {@link ByteBuffer} through a view of it (created once for each of the last four buffers seen),
 * and raw off-heap addresses through a scratch copy.
 *
 * <p>Not thread-safe: one instance per thread (each codec owns one).
 */
public final class FrameChecksum
{
    private static final int VIEWS = 4;

    private final CRC32C crc = new CRC32C();
    /** Views of the last few direct buffers seen, so that alternating between them allocates nothing. */
    private final ByteBuffer[] viewSources = new ByteBuffer[VIEWS];
    private final ByteBuffer[] views = new ByteBuffer[VIEWS];
    private int nextView;
    private byte[] scratch = new byte[1024];

    /**
     * @param buffer holding the bytes.
     * @param offset of the first byte.
     * @param length of the region.
     * @return the CRC32C of the region as a 32-bit int.
     */
    public int compute(final DirectBuffer buffer, final int offset, final int length)
    {
        crc.reset();
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            final int arrayOffset = (int)(buffer.addressOffset() - BufferUtil.ARRAY_BASE_OFFSET);
            crc.update(array, arrayOffset + offset, length);
            return (int)crc.getValue();
        }

        final ByteBuffer byteBuffer = buffer.byteBuffer();
        if (byteBuffer != null && byteBuffer.isDirect())
        {
            final ByteBuffer view = viewOf(byteBuffer);
            final int base = (int)(buffer.addressOffset() - BufferUtil.address(byteBuffer));
            view.limit(base + offset + length).position(base + offset);
            crc.update(view);
            return (int)crc.getValue();
        }

        if (scratch.length < length)
        {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        buffer.getBytes(offset, scratch, 0, length);
        crc.update(scratch, 0, length);
        return (int)crc.getValue();
    }

    private ByteBuffer viewOf(final ByteBuffer byteBuffer)
    {
        for (int i = 0; i < VIEWS; i++)
        {
            if (viewSources[i] == byteBuffer)
            {
                return views[i];
            }
        }
        final int slot = nextView;
        nextView = (slot + 1) % VIEWS;
        viewSources[slot] = byteBuffer;
        views[slot] = byteBuffer.duplicate().clear();
        return views[slot];
    }

    /**
     * @param array  bytes.
     * @param offset of the first byte.
     * @param length of the region.
     * @return the CRC32C of the region.
     */
    public int compute(final byte[] array, final int offset, final int length)
    {
        crc.reset();
        crc.update(array, offset, length);
        return (int)crc.getValue();
    }

    /**
     * @param byteBuffer a buffer whose position and limit delimit the region; they are left unchanged.
     * @return the CRC32C of the bytes between position and limit.
     */
    public int compute(final ByteBuffer byteBuffer)
    {
        crc.reset();
        final int position = byteBuffer.position();
        crc.update(byteBuffer);
        byteBuffer.position(position);
        return (int)crc.getValue();
    }
}
