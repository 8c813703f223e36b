package io.sextant.collector.store;

import io.sextant.protocol.BufferSlice;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Turns short UTF-8 slices of a frame into {@code String}s without allocating when the same text
 * came before: model names and versions, feature names, predicted classes and categorical values
 * repeat on every inference record, and decoding each anew made the store tailer's inference path
 * allocation-bound. A direct-mapped cache (a hash of the bytes read eight at a time, verified against
 * the cached bytes): a collision replaces the older entry, so memory stays bounded whatever the cardinality.
 * Long slices (ids, free text) are decoded as they are. Single thread.
 */
final class SliceInterner
{
    static final int MAX_INTERNED_BYTES = 64;

    private final String[] strings;
    /** Each entry's UTF-8 bytes, zero-padded to a whole number of longs: compared a long at a time. */
    private final long[][] words;
    private final int[] lengths;
    private final long[] scratch = new long[MAX_INTERNED_BYTES / 8];
    private final int mask;

    /**
     * @param capacity number of entries, a power of two.
     */
    SliceInterner(final int capacity)
    {
        if (Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.strings = new String[capacity];
        this.words = new long[capacity][];
        this.lengths = new int[capacity];
        this.mask = capacity - 1;
    }

    /**
     * @param slice UTF-8 text.
     * @return the text, the same instance as last time for a short slice still in the cache.
     */
    String intern(final BufferSlice slice)
    {
        final int length = slice.byteLength();
        if (length == 0)
        {
            return "";
        }
        if (length > MAX_INTERNED_BYTES)
        {
            return slice.toString();
        }
        // Read the bytes as little-endian longs (the tail zero-padded) and hash the longs: a handful of
        // loads and multiplies where a byte loop took one bounds-checked read per byte, twice.
        final DirectBuffer buffer = slice.buffer();
        final int offset = slice.offset();
        final int whole = length >>> 3;
        long hash = 0x9E3779B97F4A7C15L * length;
        for (int w = 0; w < whole; w++)
        {
            final long v = buffer.getLong(offset + (w << 3), ByteOrder.LITTLE_ENDIAN);
            scratch[w] = v;
            hash = (hash ^ v) * 0xBF58476D1CE4E5B9L;
            hash ^= hash >>> 31;
        }
        final int words = (length + 7) >>> 3;
        if (whole < words)
        {
            long v = 0;
            for (int b = length - 1; b >= whole << 3; b--)
            {
                v = (v << 8) | (buffer.getByte(offset + b) & 0xFFL);
            }
            scratch[whole] = v;
            hash = (hash ^ v) * 0xBF58476D1CE4E5B9L;
            hash ^= hash >>> 31;
        }
        final int i = (int)(hash ^ (hash >>> 32)) & mask;
        final long[] cached = this.words[i];
        if (cached != null && lengths[i] == length && sameWords(cached, words))
        {
            return strings[i];
        }
        final String decoded = slice.toString();
        strings[i] = decoded;
        this.words[i] = Arrays.copyOf(scratch, words);
        lengths[i] = length;
        return decoded;
    }

    private boolean sameWords(final long[] cached, final int words)
    {
        for (int w = 0; w < words; w++)
        {
            if (cached[w] != scratch[w])
            {
                return false;
            }
        }
        return true;
    }
}
