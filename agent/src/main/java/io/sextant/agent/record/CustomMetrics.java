package io.sextant.agent.record;

import org.HdrHistogram.Histogram;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters, gauges and histograms that applications declare through {@code sextant-api}. Each is
 * aggregated in place by the application threads that update it: counters in a striped
 * {@link LongAdder}, gauges in one atomic slot, histograms in a {@link SlotHistogram} (one atomic
 * add per value for writers, interval HdrHistograms without allocation for the reader).
 *
 * <p>Threads: registration from any thread (synchronized, cold); updates from any thread
 * (lock-free, allocation-free); the sender thread reads. An id is published to the reader by the
 * volatile {@link #count} written after the slot is filled.
 */
public final class CustomMetrics
{
    public static final int KIND_COUNTER = 1;
    public static final int KIND_GAUGE = 2;
    public static final int KIND_HISTOGRAM = 3;

    /** Most custom series per JVM; registrations beyond it get a no-op id. */
    public static final int MAX_SERIES = 2048;
    /** Top of the histogram range: one hour in nanoseconds; larger values are clamped. */
    public static final long HISTOGRAM_MAX = SlotHistogram.MAX;

    private final int[] kinds = new int[MAX_SERIES];
    private final String[] names = new String[MAX_SERIES];
    private final String[] units = new String[MAX_SERIES];
    private final String[][] labels = new String[MAX_SERIES][];
    private final LongAdder[] counters = new LongAdder[MAX_SERIES];
    private final SlotHistogram[] histograms = new SlotHistogram[MAX_SERIES];
    private final AtomicLongArray gauges = new AtomicLongArray(MAX_SERIES);
    private final Map<String, Integer> byKey = new HashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private volatile int count;

    /**
     * @param kind   one of the {@code KIND_*} constants.
     * @param name   metric name.
     * @param unit   unit.
     * @param labelPairs key, value, key, value...
     * @return the series id, or -1 when refused (bad arguments or too many series).
     */
    public synchronized int register(final int kind, final String name, final String unit, final String[] labelPairs)
    {
        if (kind < KIND_COUNTER || kind > KIND_HISTOGRAM || name == null || name.isEmpty() ||
            (labelPairs != null && labelPairs.length % 2 != 0))
        {
            refused.incrementAndGet();
            return -1;
        }
        final String[] pairs = labelPairs == null ? new String[0] : labelPairs.clone();
        final String key = kind + "|" + name + "|" + Arrays.toString(pairs);
        final Integer existing = byKey.get(key);
        if (existing != null)
        {
            return existing;
        }
        final int id = count;
        if (id >= MAX_SERIES)
        {
            refused.incrementAndGet();
            return -1;
        }
        kinds[id] = kind;
        names[id] = name;
        units[id] = unit == null ? "" : unit;
        labels[id] = pairs;
        switch (kind)
        {
            case KIND_COUNTER -> counters[id] = new LongAdder();
            case KIND_GAUGE -> gauges.set(id, Double.doubleToRawLongBits(Double.NaN));
            default -> histograms[id] = new SlotHistogram();
        }
        byKey.put(key, id);
        count = id + 1;
        return id;
    }

    /**
     * Hot path: adds to a counter.
     *
     * @param id    from {@link #register}.
     * @param delta amount; values below 1 are ignored.
     */
    public void add(final int id, final long delta)
    {
        if (id >= 0 && id < MAX_SERIES && delta > 0)
        {
            final LongAdder adder = counters[id];
            if (adder != null)
            {
                adder.add(delta);
            }
        }
    }

    /**
     * Hot path: sets a gauge.
     *
     * @param id    from {@link #register}.
     * @param value the value.
     */
    public void set(final int id, final double value)
    {
        if (id >= 0 && id < MAX_SERIES && kinds[id] == KIND_GAUGE)
        {
            gauges.lazySet(id, Double.doubleToRawLongBits(value));
        }
    }

    /**
     * Hot path: records into a histogram, clamped to [0, {@link #HISTOGRAM_MAX}].
     *
     * @param id    from {@link #register}.
     * @param value the value.
     */
    public void record(final int id, final long value)
    {
        if (id >= 0 && id < MAX_SERIES)
        {
            final SlotHistogram histogram = histograms[id];
            if (histogram != null)
            {
                histogram.record(value);
            }
        }
    }

    public int count()
    {
        return count;
    }

    public int kind(final int id)
    {
        return kinds[id];
    }

    public String name(final int id)
    {
        return names[id];
    }

    public String unit(final int id)
    {
        return units[id];
    }

    public String[] labels(final int id)
    {
        return labels[id];
    }

    public long counterValue(final int id)
    {
        return counters[id].sum();
    }

    public double gaugeValue(final int id)
    {
        return Double.longBitsToDouble(gauges.get(id));
    }

    /**
     * Sender thread only.
     *
     * @param id a histogram series.
     * @return what it counted since the previous call, reused by the next call.
     */
    public Histogram intervalHistogram(final int id)
    {
        return histograms[id].interval();
    }

    /**
     * @return registrations refused.
     */
    public long refused()
    {
        return refused.get();
    }
}
