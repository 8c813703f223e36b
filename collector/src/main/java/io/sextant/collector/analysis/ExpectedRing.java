package io.sextant.collector.analysis;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The recent points of one analysed series with the range its detector expected for each: a bounded ring of
 * {@code (t, value, low, high)} written by the analysis thread and read by HTTP threads without locks.
 *
 * <p>Single writer. The writer announces the slot it is about to fill (a volatile store), fills it, then
 * publishes the new count with a release store. A reader copies the published slots, then reads the
 * announcement and keeps only the points the writer cannot have been overwriting meanwhile (the seqlock
 * idea); the copy it returns is its own. Nothing is allocated per
 * point.
 */
public final class ExpectedRing {

    private final long[] times;
    private final double[] values;
    private final double[] lows;
    private final double[] highs;
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong written = new AtomicLong();

    /** @param capacity points kept (the oldest is overwritten) */
    public ExpectedRing(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be at least 2: " + capacity);
        }
        times = new long[capacity];
        values = new double[capacity];
        lows = new double[capacity];
        highs = new double[capacity];
    }

    /** Appends a point. Analysis thread only. */
    public void add(long timeMillis, double value, double low, double high) {
        long w = written.get();
        // announce the slot before touching it (a volatile write: the slot's stores cannot move above it)
        started.set(w + 1);
        int i = (int) (w % times.length);
        times[i] = timeMillis;
        values[i] = value;
        lows[i] = low;
        highs[i] = high;
        written.lazySet(w + 1);
    }

    /** Points held. Any thread. */
    public int size() {
        return (int) Math.min(written.get(), times.length);
    }

    public int capacity() {
        return times.length;
    }

    /** A consistent copy of the points with {@code from <= t <= to}, oldest first. */
    public Points read(long fromMillis, long toMillis) {
        int cap = times.length;
        long w1 = written.get();
        long first = Math.max(0, w1 - cap);
        int n = (int) (w1 - first);
        long[] t = new long[n];
        double[] v = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        for (int k = 0; k < n; k++) {
            int i = (int) ((first + k) % cap);
            t[k] = times[i];
            v[k] = values[i];
            lo[k] = lows[i];
            hi[k] = highs[i];
        }
        VarHandle.acquireFence();
        long s2 = started.get();
        // the writer may have started on the slot of index s2 - 1, which held index s2 - 1 - cap: keep the
        // indices after that
        long firstValid = Math.max(first, s2 - cap);
        int skip = (int) Math.min(n, Math.max(0, firstValid - first));
        int count = 0;
        for (int k = skip; k < n; k++) {
            if (t[k] >= fromMillis && t[k] <= toMillis) {
                t[count] = t[k];
                v[count] = v[k];
                lo[count] = lo[k];
                hi[count] = hi[k];
                count++;
            }
        }
        return new Points(count, t, v, lo, hi);
    }

    /**
     * Copied points: the first {@code count} entries of each array, oldest first.
     *
     * @param count  points
     * @param times  Unix milliseconds
     * @param values observed values
     * @param lows   lower bound expected (NaN while the detector had no expectation)
     * @param highs  upper bound expected (NaN likewise)
     */
    public record Points(int count, long[] times, double[] values, double[] lows, double[] highs) {
    }
}
