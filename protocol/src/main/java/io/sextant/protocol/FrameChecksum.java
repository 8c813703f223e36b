package io.sextant.protocol;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC32C over a region of an Agrona buffer, using the JDK's intrinsic {@link CRC32C} without
 * allocating: heap buffers go straight through their array, buffers over a direct
 * {@link ByteBuffer} through a view of it, and raw off-heap addresses through a scratch copy.
 *
 * <p>Not thread-safe: one instance per thread (each codec owns one).
 */
public final class FrameChecksum
{
    private final CRC32C crc = new CRC32C();
    private ByteBuffer view;
    private ByteBuffer viewSource;
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
            if (viewSource != byteBuffer)
            {
                viewSource = byteBuffer;
                view = byteBuffer.duplicate().clear();
            }
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
