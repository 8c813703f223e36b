package io.sextant.collector.store;

import io.sextant.collector.journal.Journal;
import io.sextant.collector.journal.JournalRecord;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The one thread that writes the store: tails the journal from its start (state is derived: a
 * restart replays the journal and rebuilds the same store), applies each record, publishes the
 * catalog, and applies store retention.
 *
 * <p>Ready once it first reaches the end of the journal after start-up.
 *
 * <p>Checkpoints (when {@link #checkpoints} configured them): every interval, and on request, this
 * thread writes the whole store and every registered {@link CheckpointState} into an image between two
 * records (so the image is the state as of the last applied journal index) and hands the image to a
 * writer thread that puts it on disk atomically. At start-up, given a checkpoint, it loads it and
 * resumes the journal after the checkpoint's index; before that it re-feeds the analysis the journal
 * window of the last {@code warmup} before the checkpoint in replay-only mode (the store is not
 * changed, the listener sees every record), then restores the appliers' state from the checkpoint again.
 */
public final class StoreTailer implements Agent
{
    private static final int BATCH_LIMIT = 1024;
    private static final long RETENTION_CHECK_MILLIS = 10_000;
    /** Journal time is handed to the analysis in whole seconds. */
    private static final long JOURNAL_TICK_MILLIS = 1_000;
    /**
     * How far behind the wall clock the idle journal's time is put: a record is stamped when an ingest
     * thread claims its place and reaches the journal moments later, so a record stamped before an idle
     * second was announced would have had to wait longer than this between the two.
     */
    public static final long IDLE_SLACK_MILLIS = 2_000;

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

    // Checkpoints.
    private static final int MARK_CAPACITY = 2048;
    private static final String ANALYSIS_SECTION = "analysis";
    private final Map<String, CheckpointState> states = new LinkedHashMap<>();
    private final java.util.List<RecordApplier> observers = new java.util.ArrayList<>();
    private CheckpointFiles files;
    private long checkpointIntervalMillis;
    private long warmupMillis;
    private long markIntervalMillis = 1_000;
    private ExecutorService checkpointWriter;
    private Checkpoint resumeFrom;
    private long resumeIndex = -1;
    private boolean warmingUp;
    private long nextCheckpoint;
    private volatile long lastImageBytes = 1 << 16;
    private volatile boolean writeInFlight;
    private volatile CompletableFuture<Path> requested;
    private long lastRecordMillis;
    private long journalSecond = Long.MIN_VALUE;
    private final long[] markTimes = new long[MARK_CAPACITY];
    private final long[] markIndexes = new long[MARK_CAPACITY];
    private final long[] markLogs = new long[MARK_CAPACITY];
    private int markHead;
    private int markCount;
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong warmupRecords = new AtomicLong();
    private final AtomicLong checkpointsWritten = new AtomicLong();
    private final AtomicLong checkpointFailures = new AtomicLong();
    private volatile long lastCheckpointMillis;
    private volatile long lastCheckpointIndex = -1;
    private volatile long lastCheckpointSnapshotNanos;
    private volatile long lastCheckpointWriteNanos;
    private volatile long lastCheckpointBytes;
    private volatile long resumedIndex = -1;
    // The analysis part of checkpoints.
    private static final long ANALYSIS_WAIT_MILLIS = 60_000;
    private AnalysisState analysisState;
    private long analysisIndex = -1;
    private boolean historyPending;
    private volatile byte[] lastAnalysisImage;

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
        states.put("agent-frames", agentFrames);
    }

    /**
     * Enables checkpoints. Call before start.
     *
     * @param files          the checkpoint folder.
     * @param intervalMillis how often a checkpoint is written; 0 only on request (shutdown).
     * @param warmupMillis   journal time before a loaded checkpoint re-fed to the analysis at start-up.
     * @param resume         the checkpoint to start from, or null for a full replay.
     */
    public void checkpoints(final CheckpointFiles files, final long intervalMillis, final long warmupMillis,
        final Checkpoint resume)
    {
        this.files = files;
        this.checkpointIntervalMillis = intervalMillis;
        this.warmupMillis = warmupMillis;
        this.markIntervalMillis = Math.max(1_000, warmupMillis / (MARK_CAPACITY / 2));
        this.resumeFrom = resume;
        this.checkpointWriter = Executors.newSingleThreadExecutor(r ->
        {
            final Thread t = new Thread(r, "sextant-checkpoint-writer");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY); // bulk work, like this tailer: behind the acknowledgement path
            return t;
        });
    }

    /**
     * Makes checkpoints hold the analysis history too (taken by the analysis at the checkpoint's record),
     * and a restart resume the analysis from the journal index its image covers. Call before start.
     */
    public void analysis(final AnalysisState state)
    {
        this.analysisState = state;
    }

    /**
     * Registers state a checkpoint must hold, under a stable name. Call before start.
     */
    public void register(final String name, final CheckpointState state)
    {
        if (states.putIfAbsent(name, state) != null)
        {
            throw new IllegalArgumentException("checkpoint state " + name + " registered twice");
        }
    }

    /**
     * Registers something that sees every record before it is applied (in the warm-up window too, whose
     * effects {@link #register(String, CheckpointState) registered} state discards). Call before start.
     */
    public void observe(final RecordApplier observer)
    {
        observers.add(observer);
    }

    /**
     * Asks this thread for a checkpoint at the next record boundary (after any warm-up).
     *
     * @return completes with the file written, or null when checkpoints are off or nothing was applied yet.
     */
    public CompletableFuture<Path> checkpointNow()
    {
        if (files == null)
        {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (this)
        {
            CompletableFuture<Path> f = requested;
            if (f == null)
            {
                f = new CompletableFuture<>();
                requested = f;
            }
            return f;
        }
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
        nextCheckpoint = clock.time() + checkpointIntervalMillis;
        final Checkpoint cp = resumeFrom;
        if (cp == null)
        {
            return;
        }
        final long t0 = System.nanoTime();
        restore(cp, true);
        resumeIndex = cp.journalIndex();
        resumedIndex = resumeIndex;
        lastAppliedIndex.set(resumeIndex);
        if (analysisState != null)
        {
            lastAnalysisImage = cp.sections().get(ANALYSIS_SECTION);
            analysisIndex = Math.min(resumeIndex, AnalysisState.indexOf(lastAnalysisImage));
        }
        long from = -1;
        long fromLogs = 0;
        if (warmupMillis > 0)
        {
            for (int i = 0; i < markCount; i++)
            {
                final int k = (markHead + i) % MARK_CAPACITY;
                if (markTimes[k] >= cp.lastRecordMillis() - warmupMillis && markIndexes[k] <= resumeIndex &&
                    markIndexes[k] >= journal.firstIndex())
                {
                    from = markIndexes[k];
                    fromLogs = markLogs[k];
                    break;
                }
            }
        }
        // With the analysis history loaded (as of analysisIndex), the warm-up before it only teaches the
        // detectors (history resumes after analysisIndex); records after it up to the checkpoint (the
        // analysis lagged when the checkpoint was taken) must reach the analysis in any case.
        historyPending = analysisIndex >= 0;
        if (historyPending && (from < 0 || from > analysisIndex))
        {
            from = -1;
            analysisState.historyResumes();
            historyPending = false;
            if (analysisIndex < resumeIndex && tailer.moveToIndex(analysisIndex))
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    // Positioned after the analysis image's last record.
                }
                warmingUp = true;
                store.replayOnly(true, -1);
            }
        }
        if (from >= 0 && tailer.moveToIndex(from))
        {
            warmingUp = true;
            store.replayOnly(true, fromLogs);
        }
        else if (!warmingUp)
        {
            if (historyPending)
            {
                analysisState.historyResumes();
                historyPending = false;
            }
            positionAfter(resumeIndex);
        }
        log.accept("checkpoint " + cp.file() + " loaded in " + (System.nanoTime() - t0) / 1_000_000 + " ms: " +
            store.catalog().size() + " series, journal index " + Long.toHexString(resumeIndex) +
            (analysisIndex >= 0 ? ", analysis history as of index " + Long.toHexString(analysisIndex) : "") +
            (warmingUp ? "; re-feeding the analysis from index " + Long.toHexString(from >= 0 ? from : analysisIndex + 1)
            : "; no analysis warm-up"));
    }

    /**
     * The journal index where a restart from {@code cp} would start re-feeding the analysis: the first warm-up
     * mark within {@code warmupMillis} before the checkpoint's last record; -1 when there is none (warm-up
     * off, or no mark in the window).
     */
    public static long warmupStart(final Checkpoint cp, final long warmupMillis)
    {
        final CheckpointIn marks = cp.section("marks");
        if (warmupMillis <= 0 || marks == null)
        {
            return -1;
        }
        final long last = marks.getLong();
        final int n = marks.getCount(24);
        for (int i = 0; i < n; i++)
        {
            final long time = marks.getLong();
            final long index = marks.getLong();
            marks.getLong();
            if (time >= last - warmupMillis && index <= cp.journalIndex())
            {
                return index;
            }
        }
        return -1;
    }

    /**
     * Loads the store (once) and every registered state from a checkpoint.
     */
    private void restore(final Checkpoint cp, final boolean withStore)
    {
        if (withStore)
        {
            store.load(required(cp, "store"));
            final CheckpointIn marks = required(cp, "marks");
            lastRecordMillis = marks.getLong();
            markHead = 0;
            markCount = Math.min(MARK_CAPACITY, marks.getCount(24));
            for (int i = 0; i < markCount; i++)
            {
                markTimes[i] = marks.getLong();
                markIndexes[i] = marks.getLong();
                markLogs[i] = marks.getLong();
            }
        }
        for (final Map.Entry<String, CheckpointState> e : states.entrySet())
        {
            final CheckpointIn in = cp.section(e.getKey());
            if (in != null)
            {
                e.getValue().load(in, store);
            }
        }
    }

    private static CheckpointIn required(final Checkpoint cp, final String name)
    {
        final CheckpointIn in = cp.section(name);
        if (in == null)
        {
            throw new IllegalStateException("checkpoint " + cp.file() + " has no " + name + " section");
        }
        return in;
    }

    /** Positions the tailer on the record after {@code index}. */
    private void positionAfter(final long index)
    {
        if (tailer.moveToIndex(index))
        {
            try (DocumentContext dc = tailer.readingDocument())
            {
                // Skip the checkpoint's own last record.
            }
            return;
        }
        if (index < journal.firstIndex())
        {
            log.accept("journal index " + Long.toHexString(index) + " of the checkpoint was deleted by retention: " +
                "resuming at the oldest record left");
        }
        else
        {
            log.accept("journal index " + Long.toHexString(index) + " of the checkpoint was not found: " +
                "resuming at the oldest record (records may be applied twice)");
        }
        tailer.toStart();
    }

    private void endWarmup()
    {
        if (historyPending)
        {
            analysisState.historyResumes();
            historyPending = false;
        }
        warmingUp = false;
        store.replayOnly(false, 0);
        // The warm-up ran the appliers over older records: put their state back to the checkpoint's.
        restore(resumeFrom, false);
        resumeFrom = null;
        log.accept("analysis warm-up done: " + warmupRecords.get() + " records re-fed");
    }

    /**
     * Remembers, about every mark interval, where a warm-up could start: a record's receive time, its
     * index, and the log records stored before it.
     */
    private void mark(final long receivedMillis, final long index, final long logsBefore)
    {
        lastRecordMillis = receivedMillis;
        final int last = (markHead + markCount - 1) % MARK_CAPACITY;
        if (markCount > 0 && receivedMillis - markTimes[last] < markIntervalMillis)
        {
            return;
        }
        // Drop marks older than the warm-up window (keep one before it), or the oldest when full.
        while (markCount > 1 && (markCount == MARK_CAPACITY ||
            markTimes[(markHead + 1) % MARK_CAPACITY] < receivedMillis - warmupMillis))
        {
            markHead = (markHead + 1) % MARK_CAPACITY;
            markCount--;
        }
        final int k = (markHead + markCount) % MARK_CAPACITY;
        markTimes[k] = receivedMillis;
        markIndexes[k] = index;
        markLogs[k] = logsBefore;
        markCount++;
    }

    private void saveMarks(final CheckpointOut out)
    {
        out.putLong(lastRecordMillis).putInt(markCount);
        for (int i = 0; i < markCount; i++)
        {
            final int k = (markHead + i) % MARK_CAPACITY;
            out.putLong(markTimes[k]).putLong(markIndexes[k]).putLong(markLogs[k]);
        }
    }

    private void section(final CheckpointOut out, final String name, final Consumer<CheckpointOut> writer)
    {
        out.putString(name);
        final int lengthAt = out.position();
        out.putInt(0);
        writer.accept(out);
        out.putIntAt(lengthAt, out.position() - lengthAt - 4);
    }

    /**
     * Takes a checkpoint image of the current state and hands it to the writer thread.
     */
    private void checkpoint(final long now)
    {
        final CompletableFuture<Path> request;
        synchronized (this)
        {
            request = requested;
            requested = null;
        }
        nextCheckpoint = now + checkpointIntervalMillis;
        final long index = lastAppliedIndex.get();
        if (index < 0)
        {
            if (request != null)
            {
                request.complete(null);
            }
            return;
        }
        final long t0 = System.nanoTime();
        // On this thread only what changes: the store's capture (open chunks, log references) and the
        // small derived states; the bulk (sealed chunks, log text) is serialised on the writer thread.
        final CheckpointOut[] target = new CheckpointOut[1];
        final Runnable storeImage = store.image(target);
        final CheckpointOut rest = new CheckpointOut(1 << 16);
        section(rest, "marks", this::saveMarks);
        for (final Map.Entry<String, CheckpointState> e : states.entrySet())
        {
            section(rest, e.getKey(), e.getValue()::save);
        }
        final CompletableFuture<byte[]> analysisImage = analysisState == null ? null : analysisState.capture(index);
        final long snapshotNanos = System.nanoTime() - t0;
        writeInFlight = true;
        final long created = clock.time();
        final long lastRecord = lastRecordMillis;
        final long imageHint = lastImageBytes;
        checkpointWriter.execute(() ->
        {
            final long w0 = System.nanoTime();
            try
            {
                final byte[] analysis = analysisImage(analysisImage, index);
                final int sections = 2 + states.size() + (analysis == null ? 0 : 1);
                final CheckpointOut out = CheckpointFiles.begin((int)Math.min(Integer.MAX_VALUE - 64,
                    imageHint + (imageHint >> 3)), index, created, lastRecord, sections);
                target[0] = out;
                section(out, "store", o -> storeImage.run());
                out.putRaw(rest);
                if (analysis != null)
                {
                    section(out, ANALYSIS_SECTION, o -> o.putRawBytes(analysis));
                }
                CheckpointFiles.seal(out);
                lastImageBytes = out.position();
                final Path file = files.write(out.array(), out.position(), created);
                lastCheckpointWriteNanos = System.nanoTime() - w0;
                lastCheckpointSnapshotNanos = snapshotNanos;
                lastCheckpointBytes = out.position();
                lastCheckpointIndex = index;
                lastCheckpointMillis = created;
                checkpointsWritten.incrementAndGet();
                if (request != null)
                {
                    request.complete(file);
                }
            }
            catch (final Exception | OutOfMemoryError ex)
            {
                if (checkpointFailures.incrementAndGet() <= 10)
                {
                    log.accept("checkpoint could not be written to " + files.folder() + ": " + ex);
                }
                if (request != null)
                {
                    request.completeExceptionally(ex);
                }
            }
            finally
            {
                writeInFlight = false;
            }
        });
    }

    /**
     * Writer thread: the analysis image asked for at {@code index}, waiting for the analysis to reach it;
     * when it does not answer in time, the previous image (which says the older index it covers, where a
     * restart then resumes the analysis), or null when there is none.
     */
    private byte[] analysisImage(final CompletableFuture<byte[]> future, final long index)
    {
        if (future == null)
        {
            return null;
        }
        try
        {
            final byte[] image = future.get(ANALYSIS_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            lastAnalysisImage = image;
            return image;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex)
        {
            if (checkpointFailures.get() < 10)
            {
                log.accept("analysis image for journal index " + Long.toHexString(index) + " not taken (" + ex +
                    "): the checkpoint keeps the previous one");
            }
        }
        return lastAnalysisImage;
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
                    if (warmingUp)
                    {
                        endWarmup();
                    }
                    if (caughtUp)
                    {
                        journalTime(clock.time() - IDLE_SLACK_MILLIS);
                    }
                    break;
                }
                final long index = dc.index();
                if (warmingUp && index > resumeIndex)
                {
                    endWarmup();
                }
                final Bytes<?> bytes = dc.wire().bytes();
                final int length = (int)bytes.readRemaining();
                if (record.capacity() < length)
                {
                    record = new UnsafeBuffer(new byte[Math.max(length, record.capacity() * 2)]);
                }
                bytes.read(record.byteArray(), 0, length);
                if (length >= JournalRecord.HEADER_LENGTH)
                {
                    journalTime(JournalRecord.receivedNanos(record, 0) / 1_000_000L);
                }
                if (warmingUp)
                {
                    observeAndApply(length);
                    warmupRecords.lazySet(warmupRecords.get() + 1);
                    if (historyPending && index >= analysisIndex)
                    {
                        analysisState.historyResumes();
                        historyPending = false;
                    }
                    if (index == resumeIndex)
                    {
                        endWarmup();
                    }
                    work++;
                    continue;
                }
                final long logsBefore = store.logs().written();
                observeAndApply(length);
                if (length >= JournalRecord.HEADER_LENGTH)
                {
                    mark(JournalRecord.receivedNanos(record, 0) / 1_000_000L, index, logsBefore);
                }
                lastAppliedIndex.lazySet(index);
                if (index > startIndex)
                {
                    appliedLive.lazySet(appliedLive.get() + 1);
                }
                if (!caughtUp)
                {
                    replayed.lazySet(replayed.get() + 1);
                }
                work++;
            }
        }
        final long now = clock.time();
        if (files != null && !warmingUp && !writeInFlight &&
            (requested != null || (checkpointIntervalMillis > 0 && now - nextCheckpoint >= 0)))
        {
            checkpoint(now);
        }
        if (work == 0 && !caughtUp)
        {
            store.publish(now, true);
            // Connection ids carry their creation time; this process's connections all postdate its start.
            agentFrames.forgetConnectionsBefore(startMillis - 1);
            caughtUp = true;
            store.listener().onCaughtUp();
            log.accept("store caught up with the journal: " + replayed.get() + " records replayed" +
                (resumedIndex >= 0 ? " after checkpoint index " + Long.toHexString(resumedIndex) + " (" +
                warmupRecords.get() + " before it re-fed to the analysis)" : "") + ", at index " +
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

    /** Tells the listener when journal time enters a new second (never backwards). */
    private void journalTime(final long millis)
    {
        final long second = millis - Math.floorMod(millis, JOURNAL_TICK_MILLIS);
        if (second > journalSecond)
        {
            journalSecond = second;
            store.listener().onJournalTime(second);
        }
    }

    private void observeAndApply(final int length)
    {
        for (int i = 0; i < observers.size(); i++)
        {
            try
            {
                observers.get(i).apply(record, length);
            }
            catch (final RuntimeException ex)
            {
                failed.incrementAndGet();
            }
        }
        apply(length);
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
        if (checkpointWriter != null)
        {
            checkpointWriter.shutdown();
            try
            {
                checkpointWriter.awaitTermination(30, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
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

    /** @return records applied at start-up before catching up with the journal (after the checkpoint, if any). */
    public long replayed()
    {
        return replayed.get();
    }

    /** @return records re-fed to the analysis only (the warm-up window before a loaded checkpoint). */
    public long warmupRecords()
    {
        return warmupRecords.get();
    }

    /** @return the journal index of the checkpoint this process started from, or -1. */
    public long resumedIndex()
    {
        return resumedIndex;
    }

    public long checkpointsWritten()
    {
        return checkpointsWritten.get();
    }

    public long checkpointFailures()
    {
        return checkpointFailures.get();
    }

    /** @return wall-clock millis of the last checkpoint written by this process, or 0. */
    public long lastCheckpointMillis()
    {
        return lastCheckpointMillis;
    }

    /** @return journal index of the last checkpoint written by this process, or -1. */
    public long lastCheckpointIndex()
    {
        return lastCheckpointIndex;
    }

    /** @return how long the last checkpoint held this thread (capturing the state), in nanoseconds. */
    public long lastCheckpointSnapshotNanos()
    {
        return lastCheckpointSnapshotNanos;
    }

    /** @return how long the writer thread took to serialise the capture and put it on disk (fsync included), in nanoseconds. */
    public long lastCheckpointWriteNanos()
    {
        return lastCheckpointWriteNanos;
    }

    public long lastCheckpointBytes()
    {
        return lastCheckpointBytes;
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
