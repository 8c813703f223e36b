package io.sextant.collector.journal;

import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal: one Chronicle Queue in {@code <data-dir>/journal}. Exactly one thread appends (the
 * {@link JournalWriter}); any number of tailers read. Also owns retention of old cycle files.
 *
 * <p>Chronicle's usage analytics are disabled before the queue class is first touched.
 */
public final class Journal implements AutoCloseable
{
    static
    {
        disableAnalytics();
    }

    private final SingleChronicleQueue queue;
    private final Path folder;
    private final RollCycle rollCycle;
    private final TimeProvider timeProvider;

    /**
     * @param dataDir      the collector data folder; the queue lives in its {@code journal} subfolder.
     * @param rollCycle    roll cycle name (see {@link #rollCycle(String)}).
     * @param timeProvider clock for cycle roll (tests pass a settable one), or null for the system clock.
     * @param sync         msync every appended document (survives power loss; slower).
     */
    public Journal(final Path dataDir, final String rollCycle, final TimeProvider timeProvider, final boolean sync)
    {
        this.folder = dataDir.resolve("journal");
        this.rollCycle = rollCycle(rollCycle);
        final SingleChronicleQueueBuilder builder = ChronicleQueue.singleBuilder(folder).rollCycle(this.rollCycle);
        if (sync)
        {
            builder.syncMode(net.openhft.chronicle.bytes.SyncMode.SYNC);
        }
        if (timeProvider != null)
        {
            builder.timeProvider(timeProvider);
        }
        this.queue = builder.build();
        this.timeProvider = queue.time();
    }

    /** Sets {@code chronicle.analytics.disable=true} unless already set; call before touching Chronicle. */
    public static void disableAnalytics()
    {
        if (System.getProperty("chronicle.analytics.disable") == null)
        {
            System.setProperty("chronicle.analytics.disable", "true");
        }
    }

    /**
     * @param name a roll cycle name from the configuration.
     * @return the Chronicle roll cycle.
     */
    public static RollCycle rollCycle(final String name)
    {
        if ("TEST_SECONDLY".equals(name))
        {
            return TestRollCycles.TEST_SECONDLY;
        }
        return RollCycles.valueOf(name);
    }

    SingleChronicleQueue queue()
    {
        return queue;
    }

    public Path folder()
    {
        return folder;
    }

    public RollCycle rollCycle()
    {
        return rollCycle;
    }

    /**
     * @return a new tailer at the start of the journal; owned by the calling thread.
     */
    public ExcerptTailer createTailer()
    {
        return queue.createTailer();
    }

    /**
     * @return index of the last record, or -1 when empty. Any thread.
     */
    public long lastIndex()
    {
        return queue.lastIndex();
    }

    /**
     * @return index of the first record still in the journal (retention deletes old cycles), or
     *         {@link Long#MAX_VALUE} when empty. Any thread.
     */
    public long firstIndex()
    {
        return queue.firstIndex();
    }

    /**
     * @param index a record index.
     * @return the receive time (millis) in that record's header, or -1 when the journal has no such record.
     */
    public long receivedMillisAt(final long index)
    {
        try (ExcerptTailer tailer = queue.createTailer())
        {
            if (!tailer.moveToIndex(index))
            {
                return -1;
            }
            try (net.openhft.chronicle.wire.DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent() || dc.index() != index)
                {
                    return -1;
                }
                final net.openhft.chronicle.bytes.Bytes<?> b = dc.wire().bytes();
                if (b.readRemaining() < JournalRecord.HEADER_LENGTH)
                {
                    return -1;
                }
                return b.readLong(b.readPosition() + JournalRecord.RECEIVED_OFFSET) / 1_000_000L;
            }
        }
    }

    /**
     * @param from an index (exclusive); -1 for the start.
     * @param to   an index (inclusive).
     * @return records between them, computed cheaply within one cycle and by Chronicle otherwise.
     */
    public long recordsBetween(final long from, final long to)
    {
        if (to < 0 || to <= from)
        {
            return 0;
        }
        if (from >= 0 && rollCycle.toCycle(from) == rollCycle.toCycle(to))
        {
            return rollCycle.toSequenceNumber(to) - rollCycle.toSequenceNumber(from);
        }
        try
        {
            return queue.countExcerpts(from < 0 ? queue.firstIndex() : from, to) + (from < 0 ? 1 : 0);
        }
        catch (final RuntimeException ex)
        {
            return -1;
        }
    }

    /**
     * @return cycle files, oldest first.
     */
    public List<File> cycleFiles()
    {
        final File[] files = folder.toFile().listFiles((dir, name) -> name.endsWith(".cq4"));
        final List<File> out = new ArrayList<>();
        if (files != null)
        {
            for (final File f : files)
            {
                out.add(f);
            }
        }
        out.sort((a, b) -> a.getName().compareTo(b.getName()));
        return out;
    }

    /**
     * @return total bytes of the cycle files.
     */
    public long sizeBytes()
    {
        long total = 0;
        for (final File f : cycleFiles())
        {
            total += f.length();
        }
        return total;
    }

    /**
     * Deletes old cycles: those that ended before {@code now - maxAgeMillis}, then the oldest while the
     * total exceeds {@code maxBytes}. Never deletes the current cycle or the newest file.
     *
     * @param maxAgeMillis age limit.
     * @param maxBytes     size limit.
     * @return number of files deleted.
     */
    public int applyRetention(final long maxAgeMillis, final long maxBytes)
    {
        final List<File> files = cycleFiles();
        if (files.size() <= 1)
        {
            return 0;
        }
        final int currentCycle = queue.cycle();
        final long now = timeProvider.currentTimeMillis();
        long total = 0;
        for (final File f : files)
        {
            total += f.length();
        }
        int deleted = 0;
        for (int i = 0; i < files.size() - 1; i++)
        {
            final File f = files.get(i);
            final int cycle = cycleOf(f);
            if (cycle < 0 || cycle >= currentCycle)
            {
                break;
            }
            final long cycleEnd = (long)(cycle + 1) * rollCycle.lengthInMillis() + rollCycle.defaultEpoch();
            final boolean tooOld = now - cycleEnd > maxAgeMillis;
            final boolean tooBig = total > maxBytes;
            if (!tooOld && !tooBig)
            {
                break;
            }
            final long length = f.length();
            if (f.delete())
            {
                total -= length;
                deleted++;
            }
        }
        if (deleted > 0)
        {
            queue.refreshDirectoryListing();
        }
        return deleted;
    }

    private int cycleOf(final File file)
    {
        final String name = file.getName();
        final String stem = name.substring(0, name.length() - ".cq4".length());
        try
        {
            final java.text.SimpleDateFormat format = new java.text.SimpleDateFormat(rollCycle.format());
            format.setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
            final long millis = format.parse(stem).getTime();
            return (int)((millis - rollCycle.defaultEpoch()) / rollCycle.lengthInMillis());
        }
        catch (final java.text.ParseException ex)
        {
            return -1;
        }
    }

    @Override
    public void close()
    {
        queue.close();
    }
}
