package io.sextant.agent.record;

import org.HdrHistogram.Histogram;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A histogram that any number of application threads record into with one atomic add and nothing
 * else, and that one reader turns into an HdrHistogram of each interval without allocating.
 *
 * <p>The counts sit in HdrHistogram's own bucket layout for values from 1 to {@link #MAX} at 2
 * significant digits (256 sub-buckets, 35 buckets: 4,608 slots), so a slot maps to exactly one
 * HdrHistogram bucket and the interval histogram the reader builds is the same one a
 * {@code Histogram(1, MAX, 2)} would hold had it recorded each value itself. Writers never touch
 * a total, a minimum or a maximum: the reader derives them. An HdrHistogram {@code Recorder} costs a
 * writer four atomic operations (its phaser's enter and exit, and the concurrent histogram's own
 * phaser and count); this costs one.
 *
 * <p>Threads: {@link #record} from any thread; {@link #interval} from one reader thread only, which
 * owns the previous-interval snapshot.
 */
public final class SlotHistogram
{
    /** Largest value kept: one hour in nanoseconds; larger values are clamped to it. */
    public static final long MAX = 3_600_000_000_000L;

    static final int SUB_BUCKET_HALF_COUNT_MAGNITUDE = 7;
    static final int SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;
    static final long SUB_BUCKET_MASK = (2L * SUB_BUCKET_HALF_COUNT) - 1;
    static final int LEADING_ZERO_COUNT_BASE = 64 - SUB_BUCKET_HALF_COUNT_MAGNITUDE - 1;
    static final int SLOTS = index(MAX) + 1;

    private final AtomicLongArray counts = new AtomicLongArray(SLOTS);
    private final long[] previous = new long[SLOTS];
    private final Histogram interval = new Histogram(1, MAX, 2);

    /**
     * Hot path: counts one value, clamped to [0, {@link #MAX}].
     *
     * @param value the value.
     */
    public void record(final long value)
    {
        counts.getAndIncrement(index(value < 0 ? 0 : Math.min(value, MAX)));
    }

    /**
     * Reader only: the values counted since the previous call, as an HdrHistogram that this object
     * reuses (valid until the next call).
     *
     * @return the interval's distribution; empty when nothing was recorded.
     */
    public Histogram interval()
    {
        interval.reset();
        for (int i = 0; i < SLOTS; i++)
        {
            final long now = counts.get(i);
            final long delta = now - previous[i];
            if (delta != 0)
            {
                previous[i] = now;
                interval.recordValueWithCount(valueAt(i), delta);
            }
        }
        return interval;
    }

    /**
     * @param value a value from 0 to {@link #MAX}.
     * @return its slot: HdrHistogram's counts index for a lowest discernible value of 1 and 2 digits.
     */
    static int index(final long value)
    {
        final int bucket = LEADING_ZERO_COUNT_BASE - Long.numberOfLeadingZeros(value | SUB_BUCKET_MASK);
        final int subBucket = (int)(value >>> bucket);
        return ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + (subBucket - SUB_BUCKET_HALF_COUNT);
    }

    /**
     * @param index a slot.
     * @return the lowest value that lands in it.
     */
    static long valueAt(final int index)
    {
        int bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
        int subBucket = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
        if (bucket < 0)
        {
            subBucket -= SUB_BUCKET_HALF_COUNT;
            bucket = 0;
        }
        return (long)subBucket << bucket;
    }
}
