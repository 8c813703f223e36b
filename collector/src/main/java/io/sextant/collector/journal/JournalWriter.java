package io.sextant.collector.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.PointerBytesStore;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.MessageHandler;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The one thread that appends to the journal. Each duty cycle drains up to a batch of records from
 * the {@link JournalRing}, asks each record's {@link JournalClient} whether to append it (duplicate
 * sequence numbers are dropped there), appends it, optionally syncs the mapped file, and then tells
 * every client that had records in the batch ({@link JournalClient#batchDone()}) so that it
 * acknowledges once per batch.
 *
 * <p>What an acknowledgement after {@code batchDone} guarantees: the record is in the journal's
 * memory-mapped file. It survives a crash or {@code kill -9} of the collector process (the kernel
 * owns the dirty pages). It survives power loss or a kernel crash only with
 * {@code sextant.collector.journal-sync=batch}, which opens the queue with Chronicle's
 * {@code SyncMode.SYNC} so that each appended document is msynced before the batch is acknowledged.
 *
 * <p>Single writer of: the appender, the journaled-sequence state of every agent session (through
 * its clients), {@link #lastAppendedIndex}. Runs on its own thread via an {@code AgentRunner}.
 */
public final class JournalWriter implements Agent, MessageHandler
{
    private static final int BATCH_LIMIT = 512;
    private static final long RETENTION_CHECK_MILLIS = 10_000;

    private final Journal journal;
    private final JournalRing ring;
    private final ExcerptAppender appender;
    private final long retentionAgeMillis;
    private final long retentionBytes;
    private final EpochClock clock;
    private final PointerBytesStore pointer = BytesStore.nativePointer();
    private final int[] touched;
    private final boolean[] isTouched;
    private int touchedCount;
    private long nextRetentionCheck;

    private final AtomicLong lastAppendedIndex = new AtomicLong(-1);
    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong appendedBytes = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong deletedCycles = new AtomicLong();

    /**
     * @param journal            the journal; this writer owns its only appender.
     * @param ring               where records come from.
     * @param maxClients         size of the client slot table.
     * @param retentionAgeMillis delete cycles that ended longer ago.
     * @param retentionBytes     delete oldest cycles beyond this total size.
     * @param clock              wall clock.
     */
    public JournalWriter(
        final Journal journal, final JournalRing ring, final int maxClients,
        final long retentionAgeMillis, final long retentionBytes, final EpochClock clock)
    {
        this.journal = journal;
        this.ring = ring;
        this.appender = journal.queue().createAppender();
        this.retentionAgeMillis = retentionAgeMillis;
        this.retentionBytes = retentionBytes;
        this.clock = clock;
        this.touched = new int[maxClients];
        this.isTouched = new boolean[maxClients];
        lastAppendedIndex.set(journal.lastIndex());
    }

    @Override
    public int doWork()
    {
        final int read = ring.ring().read(this, BATCH_LIMIT);
        if (touchedCount > 0)
        {
            for (int i = 0; i < touchedCount; i++)
            {
                final int slot = touched[i];
                isTouched[slot] = false;
                final JournalClient client = ring.client(slot);
                if (client != null)
                {
                    client.batchDone();
                }
            }
            touchedCount = 0;
        }
        int work = read;
        final long now = clock.time();
        if (now - nextRetentionCheck >= 0)
        {
            nextRetentionCheck = now + RETENTION_CHECK_MILLIS;
            final int deleted = journal.applyRetention(retentionAgeMillis, retentionBytes);
            deletedCycles.addAndGet(deleted);
            work += deleted;
        }
        return work;
    }

    @Override
    public void onMessage(final int kind, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int slot = JournalRecord.slot(buffer, index);
        if (kind == JournalRecord.KIND_RELEASE)
        {
            ring.free(slot);
            return;
        }
        final JournalClient client = ring.client(slot);
        if (client != null && !client.admit(buffer, index, length))
        {
            skipped.incrementAndGet();
            return;
        }
        append(buffer, index, length);
        if (kind == JournalRecord.KIND_CONNECTION_CLOSED)
        {
            ring.free(slot);
            return;
        }
        if (client != null)
        {
            client.journaled(buffer, index, length);
            if (slot < isTouched.length && !isTouched[slot])
            {
                isTouched[slot] = true;
                touched[touchedCount++] = slot;
            }
        }
    }

    private void append(final DirectBuffer buffer, final int index, final int length)
    {
        pointer.set(buffer.addressOffset() + index, length);
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            bytes.write(pointer, 0L, (long)length);
        }
        lastAppendedIndex.lazySet(appender.lastIndexAppended());
        appended.lazySet(appended.get() + 1);
        appendedBytes.lazySet(appendedBytes.get() + length);
    }

    @Override
    public void onClose()
    {
        appender.close();
    }

    @Override
    public String roleName()
    {
        return "sextant-journal-writer";
    }

    /**
     * @return index of the last record this writer appended (or the journal's last at start), -1 if none.
     */
    public long lastAppendedIndex()
    {
        return lastAppendedIndex.get();
    }

    public long appended()
    {
        return appended.get();
    }

    public long appendedBytes()
    {
        return appendedBytes.get();
    }

    /**
     * @return records a client refused (duplicates after a resend, gaps).
     */
    public long skipped()
    {
        return skipped.get();
    }

    public long deletedCycles()
    {
        return deletedCycles.get();
    }
}
