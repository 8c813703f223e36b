package io.sextant.collector.store;

import java.util.Map;

/**
 * A counter or gauge series: a list of sealed {@link GorillaChunk}s plus one open chunk.
 *
 * <p>Single writer: the store tailer appends and applies retention. Readers take {@link #chunks()},
 * a consistent array (sealed chunks, then the open one) published through volatile fields.
 */
public final class MetricSeries extends Series
{
    private static final GorillaChunk[] NONE = new GorillaChunk[0];

    private volatile GorillaChunk[] sealed = NONE;
    private volatile GorillaChunk open;
    private long outOfOrder;

    MetricSeries(final int id, final String name, final Kind kind, final String unit, final Map<String, String> labels)
    {
        super(id, name, kind, unit, labels);
    }

    /**
     * Writer thread only.
     *
     * @return false when the sample is older than the newest one (dropped).
     */
    boolean append(final long timeMillis, final double value)
    {
        GorillaChunk chunk = open;
        if (chunk != null && chunk.count() > 0 && timeMillis < chunk.lastTime())
        {
            outOfOrder++;
            return false;
        }
        if (chunk == null || chunk.isFull())
        {
            if (chunk != null)
            {
                final GorillaChunk[] s = sealed;
                final GorillaChunk[] grown = java.util.Arrays.copyOf(s, s.length + 1);
                grown[s.length] = chunk.seal();
                sealed = grown;
            }
            chunk = new GorillaChunk();
            open = chunk;
        }
        chunk.append(timeMillis, value);
        lastTimeMillis = timeMillis;
        return true;
    }

    /**
     * Captures the data for a checkpoint: sealed chunks are immutable and shared, the open one is
     * copied. Writer thread; cheap.
     */
    Runnable image(final CheckpointOut[] target)
    {
        final long last = lastTimeMillis;
        final long ooo = outOfOrder;
        final GorillaChunk[] s = sealed;
        final GorillaChunk o = open == null ? null : open.copy();
        return () ->
        {
            final CheckpointOut out = target[0];
            out.putLong(last).putLong(ooo);
            out.putInt(s.length);
            for (final GorillaChunk c : s)
            {
                c.save(out);
            }
            out.putBoolean(o != null);
            if (o != null)
            {
                o.save(out);
            }
        };
    }

    /** Reads what {@link #image} wrote into this new series. Before publication. */
    void loadData(final CheckpointIn in)
    {
        lastTimeMillis = in.getLong();
        outOfOrder = in.getLong();
        final GorillaChunk[] s = new GorillaChunk[in.getCount(56)];
        for (int i = 0; i < s.length; i++)
        {
            s[i] = GorillaChunk.load(in, false);
        }
        sealed = s;
        if (in.getBoolean())
        {
            open = GorillaChunk.load(in, true);
        }
    }

    @Override
    int dropBefore(final long timeMillis)
    {
        final GorillaChunk[] s = sealed;
        int drop = 0;
        while (drop < s.length && s[drop].maxTime() < timeMillis)
        {
            drop++;
        }
        if (drop > 0)
        {
            sealed = java.util.Arrays.copyOfRange(s, drop, s.length);
        }
        return drop;
    }

    /**
     * @return sealed chunks then the open one; any thread.
     */
    GorillaChunk[] chunks()
    {
        final GorillaChunk o = open;
        final GorillaChunk[] s = sealed;
        if (o == null)
        {
            return s;
        }
        // The open chunk may have been sealed meanwhile: then it is both in s and o; skip the duplicate.
        if (s.length > 0 && s[s.length - 1].minTime() == o.minTime() && s[s.length - 1].count() >= o.count() &&
            o.count() > 0)
        {
            return s;
        }
        final GorillaChunk[] all = java.util.Arrays.copyOf(s, s.length + 1);
        all[s.length] = o;
        return all;
    }

    /**
     * Reads samples with {@code start <= time <= end}, in time order. Any thread.
     */
    public void read(final long startMillis, final long endMillis, final SampleConsumer consumer)
    {
        for (final GorillaChunk c : chunks())
        {
            if (c.count() == 0 || c.maxTime() < startMillis || c.minTime() > endMillis)
            {
                continue;
            }
            c.forEach((t, v) ->
            {
                if (t >= startMillis && t <= endMillis)
                {
                    consumer.accept(t, v);
                }
            });
        }
    }

    /**
     * @return compressed bytes held; any thread (approximate).
     */
    @Override
    public long sizeBytes()
    {
        long total = 0;
        for (final GorillaChunk c : chunks())
        {
            total += c.sizeBytes();
        }
        return total;
    }

    /**
     * @return samples held; any thread (approximate).
     */
    public long sampleCount()
    {
        long total = 0;
        for (final GorillaChunk c : chunks())
        {
            total += c.count();
        }
        return total;
    }

    long outOfOrder()
    {
        return outOfOrder;
    }
}
