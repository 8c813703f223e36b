package io.sextant.collector.store;

import io.sextant.collector.journal.Journal;
import io.sextant.collector.journal.JournalRecord;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The one thread that writes the store: tails the journal from its start (state is derived: a
 * restart replays the journal and rebuilds the same store), applies each record, publishes the
 * catalog, and applies store retention.
 *
 * <p>Ready once it first reaches the end of the journal after start-up.
 */
public final class StoreTailer implements Agent
{
    private static final int BATCH_LIMIT = 1024;
    private static final long RETENTION_CHECK_MILLIS = 10_000;

    private final Journal journal;
    private final SeriesStore store;
    private final EpochClock clock;
    private final AgentFrameApplier agentFrames;
    private final RecordApplier[] appliers = new RecordApplier[8];
    private final Consumer<String> log;
    private ExcerptTailer tailer;
    private UnsafeBuffer record = new UnsafeBuffer(new byte[64 * 1024]);
    private long nextRetention;
    private volatile boolean caughtUp;
    private final long startMillis = System.currentTimeMillis();
    private final AtomicLong lastAppliedIndex = new AtomicLong(-1);
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong appliedLive = new AtomicLong();
    private final long startIndex;
    private final AtomicLong failed = new AtomicLong();

    public StoreTailer(final Journal journal, final SeriesStore store, final EpochClock clock,
        final Consumer<String> log)
    {
        this.journal = journal;
        this.store = store;
        this.clock = clock;
        this.log = log;
        this.agentFrames = new AgentFrameApplier(store);
        // Records after this index were appended by this process (ingest listens only after construction).
        this.startIndex = journal.lastIndex();
        appliers[JournalRecord.KIND_AGENT_FRAME] = agentFrames;
    }

    /**
     * Registers how another record kind (OTLP) is applied. Call before start.
     */
    public void register(final int kind, final RecordApplier applier)
    {
        appliers[kind] = applier;
    }

    @Override
    public void onStart()
    {
        tailer = journal.createTailer();
    }

    @Override
    public int doWork()
    {
        int work = 0;
        while (work < BATCH_LIMIT)
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    break;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                final int length = (int)bytes.readRemaining();
                if (record.capacity() < length)
                {
                    record = new UnsafeBuffer(new byte[Math.max(length, record.capacity() * 2)]);
                }
                bytes.read(record.byteArray(), 0, length);
                apply(length);
                final long index = dc.index();
                lastAppliedIndex.lazySet(index);
                if (index > startIndex)
                {
                    appliedLive.lazySet(appliedLive.get() + 1);
                }
                work++;
            }
        }
        final long now = clock.time();
        if (work == 0 && !caughtUp)
        {
            store.publish(now, true);
            // Connection ids carry their creation time; this process's connections all postdate its start.
            agentFrames.forgetConnectionsBefore(startMillis - 1);
            caughtUp = true;
            store.listener().onCaughtUp();
            log.accept("store caught up with the journal: " + applied.get() + " records applied, at index " +
                Long.toHexString(lastAppliedIndex.get()) + ", journal last index " + Long.toHexString(journal.lastIndex()));
        }
        store.publish(now, false);
        if (now - nextRetention >= 0)
        {
            nextRetention = now + RETENTION_CHECK_MILLIS;
            store.applyRetention(now);
        }
        return work;
    }

    private void apply(final int length)
    {
        if (length < JournalRecord.HEADER_LENGTH)
        {
            failed.incrementAndGet();
            return;
        }
        final int kind = JournalRecord.kind(record, 0);
        try
        {
            if (kind == JournalRecord.KIND_CONNECTION_CLOSED)
            {
                agentFrames.closed(JournalRecord.connectionId(record, 0));
            }
            else if (kind > 0 && kind < appliers.length && appliers[kind] != null)
            {
                appliers[kind].apply(record, length);
            }
            applied.lazySet(applied.get() + 1);
        }
        catch (final RuntimeException ex)
        {
            // A record that was valid at ingest but cannot be applied: count it, keep going.
            if (failed.incrementAndGet() <= 10)
            {
                log.accept("could not apply journal record of kind " + kind + ": " + ex);
            }
        }
    }

    @Override
    public void onClose()
    {
        if (tailer != null)
        {
            tailer.close();
        }
    }

    @Override
    public String roleName()
    {
        return "sextant-store-tailer";
    }

    /**
     * @return true once the tailer has reached the end of the journal after start-up.
     */
    public boolean caughtUp()
    {
        return caughtUp;
    }

    public long lastAppliedIndex()
    {
        return lastAppliedIndex.get();
    }

    /**
     * @return records applied that were appended after this tailer started (compare with the journal
     *         writer's appended count for the lag).
     */
    public long appliedLive()
    {
        return appliedLive.get();
    }

    public long applied()
    {
        return applied.get();
    }

    /**
     * @return records that could not be applied.
     */
    public long failed()
    {
        return failed.get();
    }

    /**
     * @return agent frames whose connection or series was unknown.
     */
    public long unresolved()
    {
        return agentFrames.unresolved();
    }
}
