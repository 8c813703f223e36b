package io.sextant.collector.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The most recent log records, in a fixed-size ring of immutable {@link LogEntry} objects.
 *
 * <p>Single writer: the store tailer. Readers read the volatile {@link #written} count and then the
 * slots below it; a slot being overwritten yields either the old or the new (immutable) entry, and
 * readers check times, so no lock is needed.
 */
public final class LogStore
{
    private final LogEntry[] ring;
    private volatile long written;

    LogStore(final int capacity)
    {
        ring = new LogEntry[capacity];
    }

    void append(final LogEntry entry)
    {
        final long n = written;
        ring[(int)(n % ring.length)] = entry;
        written = n + 1;
    }

    /**
     * Captures the held records (immutable) for a checkpoint, oldest first, and the count written so
     * far. Writer thread; copies references only.
     */
    Runnable image(final CheckpointOut[] target)
    {
        final long n = written;
        final long oldest = Math.max(0, n - ring.length);
        final LogEntry[] held = new LogEntry[(int)(n - oldest)];
        for (long i = oldest; i < n; i++)
        {
            held[(int)(i - oldest)] = ring[(int)(i % ring.length)];
        }
        return () ->
        {
            final CheckpointOut out = target[0];
            out.putLong(n).putInt(held.length);
            for (final LogEntry e : held)
            {
                out.putLong(e.timeNanos()).putString(e.service()).putString(e.agent()).putString(e.level())
                    .putString(e.logger()).putString(e.thread()).putString(e.template()).putString(e.message())
                    .putString(e.exceptionClass()).putString(e.traceId()).putString(e.spanId()).putMap(e.attributes());
            }
        };
    }

    /**
     * Reads what {@link #image} wrote (the newest records that fit when this ring is smaller).
     * Before publication.
     */
    void load(final CheckpointIn in)
    {
        final long n = in.getLong();
        final int held = in.getCount(48);
        final long first = n - held;
        for (int k = 0; k < held; k++)
        {
            final LogEntry e = new LogEntry(in.getLong(), in.getString(), in.getString(), in.getString(),
                in.getString(), in.getString(), in.getString(), in.getString(), in.getString(), in.getString(),
                in.getString(), emptyToShared(in.getMap()));
            final long i = first + k;
            if (i >= n - ring.length)
            {
                ring[(int)(i % ring.length)] = e;
            }
        }
        written = n;
    }

    private static java.util.Map<String, String> emptyToShared(final java.util.Map<String, String> map)
    {
        return map.isEmpty() ? java.util.Map.of() : map;
    }

    /**
     * Newest first.
     *
     * @param filter which entries match.
     * @param limit  most entries returned.
     * @return matching entries, newest first.
     */
    public List<LogEntry> search(final Predicate<LogEntry> filter, final int limit)
    {
        final List<LogEntry> out = new ArrayList<>();
        final long n = written;
        final long oldest = Math.max(0, n - ring.length);
        for (long i = n - 1; i >= oldest && out.size() < limit; i--)
        {
            final LogEntry e = ring[(int)(i % ring.length)];
            if (e != null && filter.test(e))
            {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * @param sequence a record's position in the order of writing (0 for the first record ever).
     * @return the record, or null when it was overwritten or not written yet. Writer thread.
     */
    LogEntry at(final long sequence)
    {
        final long n = written;
        return sequence >= 0 && sequence < n && sequence >= n - ring.length ? ring[(int)(sequence % ring.length)] : null;
    }

    /**
     * @return records stored since start (including overwritten ones).
     */
    public long written()
    {
        return written;
    }

    public int capacity()
    {
        return ring.length;
    }

    /**
     * @return records currently held.
     */
    public int size()
    {
        return (int)Math.min(written, ring.length);
    }
}
