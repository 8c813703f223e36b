package io.sextant.collector.store;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store: series by identity, the published {@link Catalog}, histogram series and recent logs.
 *
 * <p>Single writer: the store tailer thread calls every package-private mutator (or, in tests, the
 * test thread). Readers use {@link #catalog()}, the series it holds, and {@link #logs()}.
 * The series cardinality limit refuses new series and counts the refusals instead of growing
 * without bound.
 */
public final class SeriesStore
{
    private static final long PUBLISH_INTERVAL_MILLIS = 50;

    private final int seriesLimit;
    private final long retentionMillis;
    private final Map<String, Series> byKey = new HashMap<>();
    private final List<Series> series = new ArrayList<>();
    private final LogStore logs;
    private volatile Catalog catalog = Catalog.EMPTY;
    private volatile Series[] byId = new Series[64];
    private StoreListener listener = StoreListener.NONE;
    private boolean dirty;
    private boolean replayOnly;
    private long replayLogSequence;
    private long lastPublish;

    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong histograms = new AtomicLong();
    private final AtomicLong logRecords = new AtomicLong();
    private final AtomicLong refusedSeries = new AtomicLong();
    private final AtomicLong refusedSamples = new AtomicLong();
    private final AtomicLong outOfOrder = new AtomicLong();

    /**
     * @param seriesLimit     most distinct series.
     * @param retentionMillis how long data stays.
     * @param logCapacity     most recent log records kept.
     */
    public SeriesStore(final int seriesLimit, final long retentionMillis, final int logCapacity)
    {
        this.seriesLimit = seriesLimit;
        this.retentionMillis = retentionMillis;
        this.logs = new LogStore(logCapacity);
    }

    /**
     * Finds or creates a counter or gauge series. Writer thread.
     *
     * @return the series, or null when the cardinality limit refuses a new one (counted) or the name
     *         is already used by a series of another kind.
     */
    public MetricSeries metric(final String name, final Series.Kind kind, final String unit,
        final Map<String, String> labels)
    {
        final Series s = find(name, labels);
        if (s != null)
        {
            return s instanceof MetricSeries ? (MetricSeries)s : null;
        }
        if (replayOnly)
        {
            return null;
        }
        if (series.size() >= seriesLimit)
        {
            refusedSeries.incrementAndGet();
            return null;
        }
        final MetricSeries created = new MetricSeries(series.size(), name, kind, unit, labels);
        add(created, labels);
        return created;
    }

    /**
     * Finds or creates a histogram series. Writer thread.
     *
     * @return the series, or null when refused (see {@link #metric}).
     */
    public HistogramSeries histogram(final String name, final String unit, final Map<String, String> labels)
    {
        final Series s = find(name, labels);
        if (s != null)
        {
            return s instanceof HistogramSeries ? (HistogramSeries)s : null;
        }
        if (replayOnly)
        {
            return null;
        }
        if (series.size() >= seriesLimit)
        {
            refusedSeries.incrementAndGet();
            return null;
        }
        final HistogramSeries created = new HistogramSeries(series.size(), name, unit, labels);
        add(created, labels);
        return created;
    }

    private Series find(final String name, final Map<String, String> labels)
    {
        return byKey.get(Series.key(name, labels));
    }

    private void add(final Series s, final Map<String, String> labels)
    {
        byKey.put(Series.key(s.name(), labels), s);
        series.add(s);
        Series[] ids = byId;
        if (s.id() >= ids.length)
        {
            ids = java.util.Arrays.copyOf(ids, ids.length * 2);
        }
        ids[s.id()] = s;
        byId = ids;
        dirty = true;
    }

    /**
     * Sets the one listener that sees every accepted sample, snapshot and log record. Call before the
     * store tailer starts.
     */
    public void listener(final StoreListener listener)
    {
        this.listener = listener;
    }

    /**
     * @return the listener (the store tailer forwards {@link StoreListener#onEvent} and
     *         {@link StoreListener#onCaughtUp} through it).
     */
    public StoreListener listener()
    {
        return listener;
    }

    /**
     * @return the series with this id, or null; any thread. A series is visible here before its first
     *         sample reaches the listener, so a consumer on another thread can resolve the id.
     */
    public Series byId(final int id)
    {
        final Series[] ids = byId;
        return id >= 0 && id < ids.length ? ids[id] : null;
    }

    /**
     * Appends a sample. Writer thread.
     *
     * @param series target, or null when the series was refused (the sample is counted as refused).
     */
    public void append(final MetricSeries series, final long timeMillis, final double value)
    {
        if (series == null)
        {
            if (!replayOnly)
            {
                refusedSamples.incrementAndGet();
            }
            return;
        }
        if (replayOnly)
        {
            listener.onSample(series, timeMillis, value);
            return;
        }
        if (series.append(timeMillis, value))
        {
            samples.lazySet(samples.get() + 1);
            listener.onSample(series, timeMillis, value);
        }
        else
        {
            outOfOrder.incrementAndGet();
        }
    }

    /**
     * Appends a histogram snapshot. Writer thread.
     */
    public void append(final HistogramSeries series, final long timeMillis, final Histogram histogram)
    {
        if (series == null)
        {
            if (!replayOnly)
            {
                refusedSamples.incrementAndGet();
            }
            return;
        }
        if (replayOnly)
        {
            listener.onHistogram(series, timeMillis, histogram);
            return;
        }
        series.append(timeMillis, histogram);
        histograms.lazySet(histograms.get() + 1);
        listener.onHistogram(series, timeMillis, histogram);
    }

    /**
     * Appends a log record. Writer thread.
     */
    public void append(final LogEntry entry)
    {
        if (replayOnly)
        {
            // Hand the analysis the very record object the store holds (stages index records by identity).
            final LogEntry stored = logs.at(replayLogSequence++);
            listener.onLog(entry.equals(stored) ? stored : entry);
            return;
        }
        logs.append(entry);
        logRecords.lazySet(logRecords.get() + 1);
        listener.onLog(entry);
    }

    /**
     * Publishes a new catalog when series were added and the last publication is old enough, or when
     * forced. Writer thread.
     */
    public void publish(final long nowMillis, final boolean force)
    {
        if (dirty && (force || nowMillis - lastPublish >= PUBLISH_INTERVAL_MILLIS))
        {
            catalog = Catalog.build(series);
            dirty = false;
            lastPublish = nowMillis;
        }
    }

    /**
     * Captures every series (identity and data), the logs and the counters for a checkpoint, cheaply
     * (immutable parts are shared, open chunks copied); the returned task then serialises the capture
     * on another thread into the stream {@code target[0]} holds when it runs. Writer thread, between records.
     */
    Runnable image(final CheckpointOut[] target)
    {
        final long[] counters = {samples.get(), histograms.get(), logRecords.get(), refusedSeries.get(),
            refusedSamples.get(), outOfOrder.get()};
        final Series[] all = series.toArray(new Series[0]);
        final Runnable[] data = new Runnable[all.length];
        for (int i = 0; i < all.length; i++)
        {
            data[i] = all[i] instanceof MetricSeries m ? m.image(target) : ((HistogramSeries)all[i]).image(target);
        }
        final Runnable logImage = logs.image(target);
        return () ->
        {
            final CheckpointOut out = target[0];
            for (final long c : counters)
            {
                out.putLong(c);
            }
            out.putInt(all.length);
            for (int i = 0; i < all.length; i++)
            {
                final Series s = all[i];
                out.putInt(s.id()).putInt(s.kind().ordinal()).putString(s.name()).putString(s.unit())
                    .putMap(s.labels());
                data[i].run();
            }
            logImage.run();
        };
    }

    /**
     * Replaces the contents of this empty store with a saved one and publishes its catalog. Writer
     * thread, before the first record.
     *
     * @throws IllegalStateException when the saved data is inconsistent or the store is not empty.
     */
    void load(final CheckpointIn in)
    {
        if (!series.isEmpty())
        {
            throw new IllegalStateException("a checkpoint loads into an empty store only");
        }
        samples.set(in.getLong());
        histograms.set(in.getLong());
        logRecords.set(in.getLong());
        refusedSeries.set(in.getLong());
        refusedSamples.set(in.getLong());
        outOfOrder.set(in.getLong());
        final int n = in.getCount(16);
        final Series.Kind[] kinds = Series.Kind.values();
        for (int i = 0; i < n; i++)
        {
            final int id = in.getInt();
            final int kind = in.getInt();
            if (id != i || kind < 0 || kind >= kinds.length)
            {
                throw new IllegalStateException("checkpoint series " + i + " has id " + id + " and kind " + kind);
            }
            final String name = in.getString();
            final String unit = in.getString();
            final Map<String, String> labels = in.getMap();
            if (kinds[kind] == Series.Kind.HISTOGRAM)
            {
                final HistogramSeries h = new HistogramSeries(id, name, unit, labels);
                h.loadData(in);
                add(h, labels);
            }
            else
            {
                final MetricSeries m = new MetricSeries(id, name, kinds[kind], unit, labels);
                m.loadData(in);
                add(m, labels);
            }
        }
        logs.load(in);
        catalog = Catalog.build(series);
        dirty = false;
    }

    /**
     * Replay-only mode (analysis warm-up from before a checkpoint): appends reach the listener but
     * change no data, and no series is created. Writer thread.
     *
     * @param firstLogSequence how many log records had been written before the first replayed record.
     */
    void replayOnly(final boolean on, final long firstLogSequence)
    {
        replayOnly = on;
        replayLogSequence = firstLogSequence;
    }

    /**
     * Drops data older than the retention. Writer thread.
     *
     * @return chunks and snapshots dropped.
     */
    public int applyRetention(final long nowMillis)
    {
        int dropped = 0;
        final long cutoff = nowMillis - retentionMillis;
        for (final Series s : series)
        {
            dropped += s.dropBefore(cutoff);
        }
        return dropped;
    }

    /**
     * @return the latest published catalog; any thread.
     */
    public Catalog catalog()
    {
        return catalog;
    }

    public LogStore logs()
    {
        return logs;
    }

    public long retentionMillis()
    {
        return retentionMillis;
    }

    public int seriesLimit()
    {
        return seriesLimit;
    }

    public long samples()
    {
        return samples.get();
    }

    public long histogramSamples()
    {
        return histograms.get();
    }

    public long logRecords()
    {
        return logRecords.get();
    }

    /**
     * @return new series refused by the cardinality limit.
     */
    public long refusedSeries()
    {
        return refusedSeries.get();
    }

    /**
     * @return samples dropped because their series was refused.
     */
    public long refusedSamples()
    {
        return refusedSamples.get();
    }

    /**
     * @return samples dropped because they were older than their series' newest sample.
     */
    public long outOfOrder()
    {
        return outOfOrder.get();
    }

    /**
     * @return approximate bytes held by metric chunks; any thread.
     */
    public long metricBytes()
    {
        long total = 0;
        final Catalog c = catalog;
        for (int i = 0; i < c.size(); i++)
        {
            final Series s = c.byId(i);
            if (s instanceof MetricSeries)
            {
                total += s.sizeBytes();
            }
        }
        return total;
    }

    /**
     * @return approximate bytes held by histogram snapshots; any thread.
     */
    public long histogramBytes()
    {
        long total = 0;
        final Catalog c = catalog;
        for (int i = 0; i < c.size(); i++)
        {
            final Series s = c.byId(i);
            if (s instanceof HistogramSeries)
            {
                total += s.sizeBytes();
            }
        }
        return total;
    }
}
