package io.sextant.collector.store;

/**
 * A block of up to {@link #MAX_SAMPLES} (time, value) samples compressed as in Facebook's Gorilla:
 * delta-of-delta timestamps and XOR-ed values, bit-packed big-endian into {@code long} words.
 *
 * <pre>
 *   first sample : time (64 bits), value (64 bits)
 *   time         : dod == 0 -> '0'; dod in [-8, 7] -> '10'+4; [-64, 63] -> '110'+7;
 *                  [-2048, 2047] -> '1110'+12; otherwise '1111'+64 (millisecond timestamps from a
 *                  scheduled sampler jitter by a few ms, so a 4-bit bucket pays off)
 *   value        : xor == 0 -> '0'; inside the previous meaningful window -> '10'+bits;
 *                  otherwise '11' + leading zeros (5 bits) + meaningful length - 1 (6 bits) + bits
 * </pre>
 *
 * <p>Threading: one writer (the store tailer) appends; any number of readers decode concurrently.
 * The writer fills words and then publishes the sample count with a volatile write; a reader reads
 * the count first and then the words array, and decodes exactly that many samples. Words before the
 * published bit position never change; a grown array is published before the count that needs it.
 */
final class GorillaChunk
{
    static final int MAX_SAMPLES = 1024;

    private volatile long[] words;
    private volatile int count;
    private long minTime;
    private volatile long maxTime;

    // Writer state.
    private int bitPosition;
    private long lastTime;
    private long lastDelta;
    private long lastValueBits;
    private int lastLeading = Integer.MAX_VALUE;
    private int lastTrailing;

    GorillaChunk()
    {
        words = new long[8];
    }

    private GorillaChunk(final long[] words, final int count, final long minTime, final long maxTime)
    {
        this.words = words;
        this.count = count;
        this.minTime = minTime;
        this.maxTime = maxTime;
    }

    int count()
    {
        return count;
    }

    boolean isFull()
    {
        return count >= MAX_SAMPLES;
    }

    long minTime()
    {
        return minTime;
    }

    long maxTime()
    {
        return maxTime;
    }

    long lastTime()
    {
        return lastTime;
    }

    /**
     * @return bytes of compressed data (whole words in use).
     */
    int sizeBytes()
    {
        return ((bitPosition + 63) >>> 6) * 8;
    }

    /**
     * @return compressed bits written so far.
     */
    int bits()
    {
        return bitPosition;
    }

    /**
     * @return an immutable copy trimmed to the words in use, for a closed chunk.
     */
    GorillaChunk seal()
    {
        final long[] trimmed = java.util.Arrays.copyOf(words, (bitPosition + 63) >>> 6);
        final GorillaChunk sealed = new GorillaChunk(trimmed, count, minTime, maxTime);
        sealed.bitPosition = bitPosition;
        return sealed;
    }

    /**
     * @return a private copy of this (open) chunk, writer state included, for a checkpoint image.
     *         Writer thread.
     */
    GorillaChunk copy()
    {
        final GorillaChunk c = new GorillaChunk(java.util.Arrays.copyOf(words, (bitPosition + 63) >>> 6), count,
            minTime, maxTime);
        c.bitPosition = bitPosition;
        c.lastTime = lastTime;
        c.lastDelta = lastDelta;
        c.lastValueBits = lastValueBits;
        c.lastLeading = lastLeading;
        c.lastTrailing = lastTrailing;
        return c;
    }

    /**
     * Writes the whole chunk, writer state included, so that a loaded open chunk keeps appending
     * exactly where this one stopped. Writer thread.
     */
    void save(final CheckpointOut out)
    {
        out.putInt(count).putInt(bitPosition).putLong(minTime).putLong(maxTime).putLong(lastTime).putLong(lastDelta)
            .putLong(lastValueBits).putInt(lastLeading).putInt(lastTrailing);
        out.putLongs(words, (bitPosition + 63) >>> 6);
    }

    /**
     * Reads what {@link #save} wrote; {@code open} chunks get room to grow.
     */
    static GorillaChunk load(final CheckpointIn in, final boolean open)
    {
        final int count = in.getInt();
        final int bits = in.getInt();
        final long min = in.getLong();
        final long max = in.getLong();
        final long last = in.getLong();
        final long delta = in.getLong();
        final long valueBits = in.getLong();
        final int leading = in.getInt();
        final int trailing = in.getInt();
        final long[] used = in.getLongs();
        if (count < 0 || count > MAX_SAMPLES || bits < 0 || used.length != (bits + 63) >>> 6)
        {
            throw new IllegalStateException("checkpoint chunk is inconsistent: " + count + " samples, " + bits +
                " bits, " + used.length + " words");
        }
        final long[] words = open ? java.util.Arrays.copyOf(used, Math.max(8, used.length * 2 + 4)) : used;
        final GorillaChunk c = new GorillaChunk(words, count, min, max);
        c.bitPosition = bits;
        c.lastTime = last;
        c.lastDelta = delta;
        c.lastValueBits = valueBits;
        c.lastLeading = leading;
        c.lastTrailing = trailing;
        return c;
    }

    /**
     * Appends a sample. Writer thread only. Times must not decrease.
     */
    void append(final long time, final double value)
    {
        final long valueBits = Double.doubleToRawLongBits(value);
        ensureRoom(160);
        final int n = count;
        if (n == 0)
        {
            write(time, 64);
            write(valueBits, 64);
            minTime = time;
            lastDelta = 0;
        }
        else
        {
            final long delta = time - lastTime;
            final long dod = delta - lastDelta;
            if (dod == 0)
            {
                write(0, 1);
            }
            else if (dod >= -8 && dod <= 7)
            {
                write(0b10, 2);
                write(dod, 4);
            }
            else if (dod >= -64 && dod <= 63)
            {
                write(0b110, 3);
                write(dod, 7);
            }
            else if (dod >= -2048 && dod <= 2047)
            {
                write(0b1110, 4);
                write(dod, 12);
            }
            else
            {
                write(0b1111, 4);
                write(dod, 64);
            }
            lastDelta = delta;
            final long xor = valueBits ^ lastValueBits;
            if (xor == 0)
            {
                write(0, 1);
            }
            else
            {
                int leading = Long.numberOfLeadingZeros(xor);
                final int trailing = Long.numberOfTrailingZeros(xor);
                if (leading > 31)
                {
                    leading = 31;
                }
                if (lastLeading != Integer.MAX_VALUE && leading >= lastLeading && trailing >= lastTrailing)
                {
                    write(0b10, 2);
                    final int meaningful = 64 - lastLeading - lastTrailing;
                    write(xor >>> lastTrailing, meaningful);
                }
                else
                {
                    final int meaningful = 64 - leading - trailing;
                    write(0b11, 2);
                    write(leading, 5);
                    write(meaningful - 1, 6);
                    write(xor >>> trailing, meaningful);
                    lastLeading = leading;
                    lastTrailing = trailing;
                }
            }
        }
        lastTime = time;
        lastValueBits = valueBits;
        maxTime = time;
        count = n + 1;
    }

    private void ensureRoom(final int bits)
    {
        final long[] w = words;
        if (((bitPosition + bits) >>> 6) + 1 >= w.length)
        {
            words = java.util.Arrays.copyOf(w, w.length * 2);
        }
    }

    private void write(final long value, final int bits)
    {
        final long v = bits == 64 ? value : value & ((1L << bits) - 1);
        final long[] w = words;
        final int index = bitPosition >>> 6;
        final int used = bitPosition & 63;
        final int free = 64 - used;
        if (bits <= free)
        {
            w[index] |= v << (free - bits);
        }
        else
        {
            w[index] |= v >>> (bits - free);
            w[index + 1] |= v << (64 - (bits - free));
        }
        bitPosition += bits;
    }

    /**
     * Decodes the published samples. Any thread.
     *
     * @param consumer receives each sample in order.
     */
    void forEach(final SampleConsumer consumer)
    {
        final int n = count;
        final long[] w = words;
        new Reader(w).decode(n, consumer);
    }

    private static final class Reader
    {
        private final long[] words;
        private int position;

        Reader(final long[] words)
        {
            this.words = words;
        }

        private long read(final int bits)
        {
            final int index = position >>> 6;
            final int used = position & 63;
            final int free = 64 - used;
            long v;
            if (bits <= free)
            {
                v = words[index] >>> (free - bits);
            }
            else
            {
                v = (words[index] << (bits - free)) | (words[index + 1] >>> (64 - (bits - free)));
            }
            position += bits;
            return bits == 64 ? v : v & ((1L << bits) - 1);
        }

        private static long signExtend(final long v, final int bits)
        {
            return (v << (64 - bits)) >> (64 - bits);
        }

        private boolean bit()
        {
            return read(1) != 0;
        }

        void decode(final int n, final SampleConsumer consumer)
        {
            if (n == 0)
            {
                return;
            }
            long time = read(64);
            long valueBits = read(64);
            long delta = 0;
            int leading = 0;
            int trailing = 0;
            consumer.accept(time, Double.longBitsToDouble(valueBits));
            for (int i = 1; i < n; i++)
            {
                long dod;
                if (!bit())
                {
                    dod = 0;
                }
                else if (!bit())
                {
                    dod = signExtend(read(4), 4);
                }
                else if (!bit())
                {
                    dod = signExtend(read(7), 7);
                }
                else if (!bit())
                {
                    dod = signExtend(read(12), 12);
                }
                else
                {
                    dod = read(64);
                }
                delta += dod;
                time += delta;
                if (bit())
                {
                    if (bit())
                    {
                        leading = (int)read(5);
                        final int meaningful = (int)read(6) + 1;
                        trailing = 64 - leading - meaningful;
                        valueBits ^= read(meaningful) << trailing;
                    }
                    else
                    {
                        final int meaningful = 64 - leading - trailing;
                        valueBits ^= read(meaningful) << trailing;
                    }
                }
                consumer.accept(time, Double.longBitsToDouble(valueBits));
            }
        }
    }
}
