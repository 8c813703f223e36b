package io.sextant.collector.store;

import io.sextant.protocol.BufferSlice;

/**
 * Turns short UTF-8 slices of a frame into {@code String}s without allocating when the same text
 * came before: model names and versions, feature names, predicted classes and categorical values
 * repeat on every inference record, and decoding each anew made the store tailer's inference path
 * allocation-bound. A direct-mapped cache (FNV-1a hash of the bytes, verified against the cached
 * string): a collision replaces the older entry, so memory stays bounded whatever the cardinality.
 * Long slices (ids, free text) are decoded as they are. Single thread.
 */
final class SliceInterner
{
    static final int MAX_INTERNED_BYTES = 64;

    private final String[] strings;
    private final long[] hashes;
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
        this.hashes = new long[capacity];
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
        final long hash = slice.hash64();
        final int i = (int)(hash ^ (hash >>> 32)) & mask;
        final String cached = strings[i];
        if (cached != null && hashes[i] == hash && slice.contentEquals(cached))
        {
            return cached;
        }
        final String decoded = slice.toString();
        strings[i] = decoded;
        hashes[i] = hash;
        return decoded;
    }
}
