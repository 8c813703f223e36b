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
    /** Storage to start with: a few batches' worth; it doubles as frames pile up, up to the capacity. */
    static final int INITIAL_BYTES = 256 * 1024;
    private static final int INITIAL_ENTRIES = 256;

    private final int maxCapacity;
    private final int maxEntries;
    private final FrameChecksum checksum = new FrameChecksum();
    private ByteBuffer memory;
    private UnsafeBuffer buffer;
    private int capacity;
    private long[] sequences;
    private long[] positions;
    private int[] lengths;
    private long liveBytes;
    private long head;
    private long tail;
    private long firstEntry;
    private long endEntry;

    /**
     * @param capacity most bytes of frame storage. Only what the frames kept at once need is
     *                 allocated (and so resident): a connected agent whose frames are acknowledged
     *                 within milliseconds keeps a few hundred KiB, not the whole bound.
     */
    public KeptFrames(final int capacity)
    {
        this.maxCapacity = capacity;
        this.maxEntries = Math.max(64, capacity / 256);
        this.capacity = Math.min(capacity, INITIAL_BYTES);
        this.memory = ByteBuffer.allocateDirect(this.capacity);
        this.buffer = new UnsafeBuffer(memory);
        final int entries = Math.min(maxEntries, INITIAL_ENTRIES);
        this.sequences = new long[entries];
        this.positions = new long[entries];
        this.lengths = new int[entries];
    }

    private long placement(final int length)
    {
        final int offset = (int)(tail % capacity);
        return offset + length > capacity ? tail + (capacity - offset) : tail;
    }

    private boolean fitsNow(final int length)
    {
        return length <= capacity && endEntry - firstEntry < sequences.length &&
            placement(length) + length - head <= capacity;
    }

    /**
     * @param length a frame length.
     * @return true when a frame of this length can be appended now (growing the storage if need be).
     */
    public boolean hasRoom(final int length)
    {
        if (length > maxCapacity || endEntry - firstEntry >= maxEntries)
        {
            return false;
        }
        if (fitsNow(length))
        {
            return true;
        }
        // at full size the region waits for acknowledgements, as a fixed one would
        return (capacity < maxCapacity || sequences.length < maxEntries) && liveBytes + length <= maxCapacity;
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
        if (!fitsNow(length))
        {
            grow(length);
        }
        final long position = placement(length);
        final int at = (int)(position % capacity);
        buffer.putBytes(at, src, offset, length);
        final int slot = (int)(endEntry % sequences.length);
        sequences[slot] = Frame.sequence(buffer, at);
        positions[slot] = position;
        lengths[slot] = length;
        endEntry++;
        liveBytes += length;
        tail = position + length;
        return true;
    }

    /**
     * Moves the kept frames, in order and without gaps, to the start of larger storage (and a larger
     * index when that is what is short). Storage a network write still holds a view of stays alive
     * until the write lets go of it.
     */
    private void grow(final int length)
    {
        final int frames = (int)(endEntry - firstEntry);
        int newEntries = sequences.length;
        while (frames + 1 > newEntries && newEntries < maxEntries)
        {
            newEntries = Math.min(maxEntries, newEntries * 2);
        }
        int newCapacity = capacity;
        while (liveBytes + length > newCapacity && newCapacity < maxCapacity)
        {
            newCapacity = (int)Math.min(maxCapacity, newCapacity * 2L);
        }
        final ByteBuffer newMemory = ByteBuffer.allocateDirect(newCapacity);
        final UnsafeBuffer newBuffer = new UnsafeBuffer(newMemory);
        final long[] newSequences = new long[newEntries];
        final long[] newPositions = new long[newEntries];
        final int[] newLengths = new int[newEntries];
        // positions only grow: the re-laid frames start at the next multiple of the new capacity
        final long base = (tail / newCapacity + 1) * newCapacity;
        long at = base;
        for (long entry = firstEntry; entry < endEntry; entry++)
        {
            final int from = (int)(entry % sequences.length);
            final int to = (int)(entry % newEntries);
            newBuffer.putBytes((int)(at - base), buffer, (int)(positions[from] % capacity), lengths[from]);
            newSequences[to] = sequences[from];
            newPositions[to] = at;
            newLengths[to] = lengths[from];
            at += lengths[from];
        }
        memory = newMemory;
        buffer = newBuffer;
        capacity = newCapacity;
        sequences = newSequences;
        positions = newPositions;
        lengths = newLengths;
        head = base;
        tail = at;
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
        while (firstEntry < endEntry && sequences[(int)(firstEntry % sequences.length)] <= acked)
        {
            liveBytes -= lengths[(int)(firstEntry % sequences.length)];
            firstEntry++;
            released++;
        }
        head = firstEntry < endEntry ? positions[(int)(firstEntry % sequences.length)] : tail;
        return released;
    }

    /**
     * Forgets every frame (the sender renumbers and re-appends them, see {@code Shipper}).
     */
    public void clear()
    {
        firstEntry = endEntry;
        head = tail;
        liveBytes = 0;
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
        return sequences[(int)(entry % sequences.length)];
    }

    public int length(final long entry)
    {
        return lengths[(int)(entry % sequences.length)];
    }

    /**
     * @param entry an entry number in [firstEntry, endEntry).
     * @return the frame's bytes as a buffer view (position to limit), sharing the storage.
     */
    public ByteBuffer view(final long entry)
    {
        final int slot = (int)(entry % sequences.length);
        final int at = (int)(positions[slot] % capacity);
        return memory.duplicate().limit(at + lengths[slot]).position(at).slice();
    }

    /**
     * @param entry an entry number.
     * @param flags new header flags; the CRC is refreshed.
     */
    public void rewriteFlags(final long entry, final int flags)
    {
        final int at = (int)(positions[(int)(entry % sequences.length)] % capacity);
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

    /**
     * @return the most bytes of frame storage (what is allocated now may be less).
     */
    public int capacity()
    {
        return maxCapacity;
    }

    /**
     * @return bytes of frame storage allocated now.
     */
    public int allocated()
    {
        return capacity;
    }
}
