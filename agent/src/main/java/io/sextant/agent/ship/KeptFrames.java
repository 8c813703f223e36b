package io.sextant.agent.ship;

import io.sextant.protocol.Frame;
import io.sextant.protocol.FrameChecksum;
import io.sextant.protocol.FrameWriter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Every numbered frame from the moment it is numbered until the collector acknowledges it: a
 * circular off-heap byte region holding whole frames in sequence order, plus a circular index of
 * (sequence, position, length). Frames are appended at the tail and released from the head by a
 * cumulative ACK. A frame never wraps: when it does not fit before the end of the region, the
 * rest of the region is skipped.
 *
 * <p>The bytes of a kept frame do not change until it is released (except its flags, rewritten
 * only while no connection is writing), so the network layer may write them without copying.
 *
 * <p>Single writer and reader: the sender thread.
 */
public final class KeptFrames
{
    private final ByteBuffer memory;
    private final UnsafeBuffer buffer;
    private final int capacity;
    private final int maxEntries;
    private final long[] sequences;
    private final long[] positions;
    private final int[] lengths;
    private final FrameChecksum checksum = new FrameChecksum();
    private long head;
    private long tail;
    private long firstEntry;
    private long endEntry;

    /**
     * @param capacity bytes of frame storage.
     */
    public KeptFrames(final int capacity)
    {
        this.capacity = capacity;
        this.memory = ByteBuffer.allocateDirect(capacity);
        this.buffer = new UnsafeBuffer(memory);
        this.maxEntries = Math.max(64, capacity / 256);
        this.sequences = new long[maxEntries];
        this.positions = new long[maxEntries];
        this.lengths = new int[maxEntries];
    }

    private long placement(final int length)
    {
        final int offset = (int)(tail % capacity);
        return offset + length > capacity ? tail + (capacity - offset) : tail;
    }

    /**
     * @param length a frame length.
     * @return true when a frame of this length can be appended now.
     */
    public boolean hasRoom(final int length)
    {
        return length <= capacity && endEntry - firstEntry < maxEntries && placement(length) + length - head <= capacity;
    }

    /**
     * Appends a finished frame.
     *
     * @param src    holding the frame.
     * @param offset of the frame.
     * @param length of the frame.
     * @return false when there is no room (nothing was written).
     */
    public boolean append(final DirectBuffer src, final int offset, final int length)
    {
        if (!hasRoom(length))
        {
            return false;
        }
        final long position = placement(length);
        final int at = (int)(position % capacity);
        buffer.putBytes(at, src, offset, length);
        final int slot = (int)(endEntry % maxEntries);
        sequences[slot] = Frame.sequence(buffer, at);
        positions[slot] = position;
        lengths[slot] = length;
        endEntry++;
        tail = position + length;
        return true;
    }

    /**
     * Releases every frame with a sequence up to and including acked.
     *
     * @param acked cumulative acknowledgement.
     * @return number of frames released.
     */
    public int release(final long acked)
    {
        int released = 0;
        while (firstEntry < endEntry && sequences[(int)(firstEntry % maxEntries)] <= acked)
        {
            firstEntry++;
            released++;
        }
        head = firstEntry < endEntry ? positions[(int)(firstEntry % maxEntries)] : tail;
        return released;
    }

    /**
     * Forgets every frame (the sender renumbers and re-appends them, see {@code Shipper}).
     */
    public void clear()
    {
        firstEntry = endEntry;
        head = tail;
    }

    public long firstEntry()
    {
        return firstEntry;
    }

    public long endEntry()
    {
        return endEntry;
    }

    public long sequence(final long entry)
    {
        return sequences[(int)(entry % maxEntries)];
    }

    public int length(final long entry)
    {
        return lengths[(int)(entry % maxEntries)];
    }

    /**
     * @param entry an entry number in [firstEntry, endEntry).
     * @return the frame's bytes as a buffer view (position to limit), sharing the storage.
     */
    public ByteBuffer view(final long entry)
    {
        final int slot = (int)(entry % maxEntries);
        final int at = (int)(positions[slot] % capacity);
        return memory.duplicate().limit(at + lengths[slot]).position(at).slice();
    }

    /**
     * @param entry an entry number.
     * @param flags new header flags; the CRC is refreshed.
     */
    public void rewriteFlags(final long entry, final int flags)
    {
        final int at = (int)(positions[(int)(entry % maxEntries)] % capacity);
        FrameWriter.rewriteFlags(buffer, at, flags, checksum);
    }

    /**
     * @return bytes held, including skipped space at the end of the region.
     */
    public long bytes()
    {
        return tail - head;
    }

    public int frames()
    {
        return (int)(endEntry - firstEntry);
    }

    public int capacity()
    {
        return capacity;
    }
}
