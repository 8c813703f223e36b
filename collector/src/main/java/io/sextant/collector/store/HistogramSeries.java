package io.sextant.collector.store;

import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * A distribution series: one HdrHistogram per sample (an interval snapshot), kept in compressed
 * encoding. Quantiles over any range merge the snapshots in it.
 *
 * <p>Single writer: the store tailer. Readers use {@link #merge}, which sees the entries published by
 * the volatile count.
 */
public final class HistogramSeries extends Series
{
    private static final class Entry
    {
        final long time;
        final byte[] compressed;
        final long totalCount;

        Entry(final long time, final byte[] compressed, final long totalCount)
        {
            this.time = time;
            this.compressed = compressed;
            this.totalCount = totalCount;
        }
    }

    /** An immutable window over the entry array; entries at [start, end) never change. */
    private record View(Entry[] entries, int start, int end)
    {
    }

    private volatile View view = new View(new Entry[16], 0, 0);
    private long bytes;

    HistogramSeries(final int id, final String name, final String unit, final Map<String, String> labels)
    {
        super(id, name, Kind.HISTOGRAM, unit, labels);
    }

    /**
     * Writer thread only. Times are expected in order (merges do not depend on it).
     */
    void append(final long timeMillis, final Histogram histogram)
    {
        final byte[] compressed = HistogramCompressor.forThread().compress(histogram);
        final View v = view;
        Entry[] e = v.entries();
        int s = v.start();
        int n = v.end();
        if (n == e.length)
        {
            final int live = n - s;
            final Entry[] grown = new Entry[Math.max(16, live * 2)];
            System.arraycopy(e, s, grown, 0, live);
            s = 0;
            n = live;
            e = grown;
        }
        e[n] = new Entry(timeMillis, compressed, histogram.getTotalCount());
        bytes += compressed.length + 40;
        view = new View(e, s, n + 1);
        lastTimeMillis = timeMillis;
    }

    /**
     * Captures the snapshots for a checkpoint: the entries of the current view never change, so the
     * view is shared. Writer thread; cheap.
     */
    Runnable image(final CheckpointOut[] target)
    {
        final long last = lastTimeMillis;
        final View v = view;
        return () ->
        {
            final CheckpointOut out = target[0];
            out.putLong(last);
            out.putInt(v.end() - v.start());
            for (int i = v.start(); i < v.end(); i++)
            {
                final Entry e = v.entries()[i];
                out.putLong(e.time).putLong(e.totalCount).putBytes(e.compressed);
            }
        };
    }

    /** Reads what {@link #image} wrote into this new series. Before publication. */
    void loadData(final CheckpointIn in)
    {
        lastTimeMillis = in.getLong();
        final int n = in.getCount(20);
        final Entry[] entries = new Entry[Math.max(16, n * 2)];
        for (int i = 0; i < n; i++)
        {
            final long time = in.getLong();
            final long total = in.getLong();
            final byte[] compressed = in.getBytes();
            entries[i] = new Entry(time, compressed, total);
            bytes += compressed.length + 40;
        }
        view = new View(entries, 0, n);
    }

    @Override
    int dropBefore(final long timeMillis)
    {
        final View v = view;
        final Entry[] e = v.entries();
        int s = v.start();
        final int n = v.end();
        int dropped = 0;
        while (s < n && e[s].time < timeMillis)
        {
            bytes -= e[s].compressed.length + 40;
            s++;
            dropped++;
        }
        if (dropped > 0)
        {
            view = new View(e, s, n);
        }
        return dropped;
    }

    /**
     * Merges the snapshots with {@code start <= time <= end}. Any thread.
     *
     * @return the merged histogram (empty when none).
     */
    public Histogram merge(final long startMillis, final long endMillis)
    {
        final Histogram merged = new Histogram(3);
        merged.setAutoResize(true);
        final View v = view;
        final Entry[] e = v.entries();
        for (int i = v.start(); i < v.end(); i++)
        {
            final Entry entry = e[i];
            if (entry.time < startMillis || entry.time > endMillis)
            {
                continue;
            }
            try
            {
                merged.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(entry.compressed), 0));
            }
            catch (final java.util.zip.DataFormatException ex)
            {
                // Written by this process; cannot happen.
            }
        }
        return merged;
    }

    /**
     * @return snapshots held; any thread.
     */
    public int entryCount()
    {
        final View v = view;
        return v.end() - v.start();
    }

    @Override
    public long sizeBytes()
    {
        return bytes;
    }
}
