package io.sextant.collector.analysis;

import io.sextant.collector.store.HistogramSeries;
import io.sextant.collector.store.LogEntry;
import io.sextant.collector.store.MetricSeries;
import io.sextant.collector.store.SeriesStore;
import io.sextant.collector.store.StoreListener;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The analysis thread. The store tailer hands it everything the store accepts ({@link StoreListener})
 * through a bounded one-to-one ring: samples as 20-byte binary messages (nothing allocated), other
 * records as objects through a companion queue whose order the ring's marker messages keep. This
 * thread then calls each {@link AnalysisStage} in turn, and delivers the signals they publish to every
 * stage and to the {@link SignalLog}.
 *
 * <p>When the ring is full the store tailer waits: the analysis falling behind shows as journal lag
 * (which the ingest's backpressure watches), never as unbounded memory.
 */
public final class AnalysisLoop implements Agent, StoreListener, AnalysisContext,
        io.sextant.collector.store.AnalysisState {

    private static final int MSG_SAMPLE = 1;
    private static final int MSG_OBJECT = 2;
    private static final int MSG_JOURNAL_TIME = 3;
    private static final int SAMPLE_LENGTH = 4 + 8 + 8;
    private static final int BATCH_LIMIT = 4096;
    private static final long TICK_MILLIS = 1_000;

    private final SeriesStore store;
    private final List<AnalysisStage> stages;
    private final AnalysisStage[] stageArray;
    private final SignalLog signals;
    private final EpochClock clock;
    private final Consumer<String> log;
    private final OneToOneRingBuffer ring;
    private final OneToOneConcurrentArrayQueue<Object> objects;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[SAMPLE_LENGTH]);
    private final ArrayDeque<Signal> pending = new ArrayDeque<>();
    private final MessageHandler handler = this::onMessage;
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong stageErrors = new AtomicLong();
    private final AtomicLong producerWaits = new AtomicLong();
    private volatile boolean live;
    private volatile long eventTime;
    /** The journal's time ({@link #onJournalTime}); Long.MIN_VALUE until the store tailer first gives it. */
    private long journalTime = Long.MIN_VALUE;
    private final UnsafeBuffer timeScratch = new UnsafeBuffer(new byte[8]);
    /** 0 before the first tick: Long.MIN_VALUE would make {@code now - lastTick} overflow and no tick ever run. */
    private long lastTick;
    private boolean dispatching;

    private record HistogramEvent(HistogramSeries series, long timeMillis, Histogram snapshot) {
    }

    private static final Object CAUGHT_UP = new Object();
    private static final Object HISTORY_RESUMES = new Object();
    /** The name of the checkpoint section holding the analysis history. */
    public static final String CHECKPOINT_SECTION = "analysis";

    private record Capture(long index, java.util.concurrent.CompletableFuture<byte[]> image) {
    }

    /** What a checkpoint keeps of the analysis, by name: the signal log and every stage that has history. */
    private final java.util.Map<String, AnalysisHistory> histories = new java.util.LinkedHashMap<>();
    /** True during a warm-up over records whose analysis history was loaded: publications are dropped. */
    private boolean silent;

    /**
     * @param ringBytes capacity of the hand-over ring (a power of two, at least 4 KiB).
     */
    public AnalysisLoop(SeriesStore store, List<AnalysisStage> stages, SignalLog signals, int ringBytes,
                        EpochClock clock, Consumer<String> log) {
        this.store = store;
        this.stages = List.copyOf(stages);
        this.stageArray = this.stages.toArray(new AnalysisStage[0]);
        this.signals = signals;
        this.clock = clock;
        this.log = log;
        this.ring = new OneToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(ringBytes + RingBufferDescriptor.TRAILER_LENGTH)));
        this.objects = new OneToOneConcurrentArrayQueue<>(Math.max(1024, ringBytes / 64));
        histories.put("signals", signals);
        for (AnalysisStage stage : this.stages) {
            if (stage instanceof AnalysisHistory h) {
                histories.putIfAbsent(stage.name(), h);
            }
        }
    }

    // ---- checkpoints ------------------------------------------------------------------------------

    /**
     * Loads the analysis history a checkpoint holds; call before this agent starts. Until the store tailer
     * says {@link #historyResumes()}, what the stages publish is dropped (the warm-up re-derives what the
     * history already holds).
     *
     * @return the journal index the loaded history covers, or -1 when the checkpoint holds none.
     */
    public long restore(io.sextant.collector.store.Checkpoint cp) {
        byte[] image = cp == null ? null : cp.sections().get(CHECKPOINT_SECTION);
        if (image == null) {
            return -1;
        }
        io.sextant.collector.store.CheckpointIn in = new io.sextant.collector.store.CheckpointIn(image, 0, image.length);
        long index = in.getLong();
        int n = in.getCount(8);
        for (int i = 0; i < n; i++) {
            String name = in.getString();
            byte[] part = in.getBytes();
            AnalysisHistory h = histories.get(name);
            if (h == null) {
                log.accept("checkpoint analysis history " + name + " has no stage here: ignored");
                continue;
            }
            try {
                h.loadHistory(new io.sextant.collector.store.CheckpointIn(part, 0, part.length));
            } catch (RuntimeException ex) {
                log.accept("checkpoint analysis history " + name + " could not be loaded: " + ex);
            }
        }
        silent = true;
        log.accept("analysis history loaded from " + cp.file() + " as of journal index " + Long.toHexString(index)
                + ": " + signals.size() + " signals");
        return index;
    }

    /** Store tailer thread: an image of the history once this thread has processed the records handed over. */
    @Override
    public java.util.concurrent.CompletableFuture<byte[]> capture(long index) {
        Capture c = new Capture(index, new java.util.concurrent.CompletableFuture<>());
        offer(c);
        return c.image();
    }

    /** Store tailer thread: the records handed over from now on extend the loaded history. */
    @Override
    public void historyResumes() {
        offer(HISTORY_RESUMES);
    }

    private byte[] image(long index) {
        io.sextant.collector.store.CheckpointOut out = new io.sextant.collector.store.CheckpointOut(1 << 16);
        out.putLong(index).putInt(histories.size());
        for (java.util.Map.Entry<String, AnalysisHistory> e : histories.entrySet()) {
            io.sextant.collector.store.CheckpointOut p = new io.sextant.collector.store.CheckpointOut(1 << 12);
            e.getValue().saveHistory(p);
            out.putString(e.getKey()).putBytes(p.toByteArray());
        }
        return out.toByteArray();
    }

    // ---- producer side: the store tailer thread ------------------------------------------------

    @Override
    public void onSample(MetricSeries series, long timeMillis, double value) {
        scratch.putInt(0, series.id());
        scratch.putLong(4, timeMillis);
        scratch.putDouble(12, value);
        while (!ring.write(MSG_SAMPLE, scratch, 0, SAMPLE_LENGTH)) {
            waitForSpace();
        }
    }

    @Override
    public void onHistogram(HistogramSeries series, long timeMillis, Histogram snapshot) {
        offer(new HistogramEvent(series, timeMillis, snapshot));
    }

    @Override
    public void onLog(LogEntry entry) {
        offer(entry);
    }

    @Override
    public void onEvent(Object event) {
        offer(event);
    }

    @Override
    public void onCaughtUp() {
        offer(CAUGHT_UP);
    }

    @Override
    public void onJournalTime(long receivedMillis) {
        timeScratch.putLong(0, receivedMillis);
        while (!ring.write(MSG_JOURNAL_TIME, timeScratch, 0, 8)) {
            waitForSpace();
        }
    }

    private void offer(Object event) {
        while (!objects.offer(event)) {
            waitForSpace();
        }
        while (!ring.write(MSG_OBJECT, scratch, 0, 0)) {
            waitForSpace();
        }
    }

    private void waitForSpace() {
        producerWaits.incrementAndGet();
        Thread.onSpinWait();
        Thread.yield();
    }

    // ---- consumer side: the analysis thread ----------------------------------------------------

    @Override
    public void onStart() {
        for (AnalysisStage stage : stageArray) {
            try {
                stage.start(this);
            } catch (RuntimeException ex) {
                stageError(stage, ex);
            }
        }
    }

    @Override
    public int doWork() {
        int work = ring.read(handler, BATCH_LIMIT);
        if (journalTime == Long.MIN_VALUE && live) {
            // Fed directly rather than by a store tailer (embedding, tests): time is the wall clock once live.
            work += tick(Math.max(eventTime, clock.time()));
        }
        deliverPending();
        return work;
    }

    /**
     * Runs the stages' ticks when time has moved a tick on since the last. Time is the data's own
     * (the latest sample, histogram or log time) or the journal's, whichever is later, and it is checked
     * after every message: a replay of the journal calls the ticks between the same records as the live
     * run did, so what closes on time closes at the same place in the data.
     */
    private int tick(long now) {
        if (now - lastTick < TICK_MILLIS || now <= 0) {
            return 0;
        }
        lastTick = now;
        eventTime = now;
        for (AnalysisStage stage : stageArray) {
            try {
                stage.onTick(now);
            } catch (RuntimeException ex) {
                stageError(stage, ex);
            }
        }
        return 1;
    }

    private void onMessage(int type, DirectBuffer buffer, int index, int length) {
        if (type == MSG_JOURNAL_TIME) {
            journalTime = Math.max(journalTime, buffer.getLong(index));
            tick(Math.max(eventTime, journalTime));
            deliverPending();
            return;
        }
        processed.lazySet(processed.get() + 1);
        if (type == MSG_SAMPLE) {
            MetricSeries series = (MetricSeries) store.byId(buffer.getInt(index));
            long t = buffer.getLong(index + 4);
            double v = buffer.getDouble(index + 12);
            advance(t);
            for (AnalysisStage stage : stageArray) {
                try {
                    stage.onSample(series, t, v);
                } catch (RuntimeException ex) {
                    stageError(stage, ex);
                }
            }
        } else {
            Object event = objects.poll();
            if (event instanceof Capture c) {
                try {
                    c.image().complete(image(c.index()));
                } catch (RuntimeException ex) {
                    c.image().completeExceptionally(ex);
                }
            } else if (event == HISTORY_RESUMES) {
                silent = false;
                for (AnalysisHistory h : histories.values()) {
                    try {
                        h.historyResumed();
                    } catch (RuntimeException ex) {
                        log.accept("analysis history resume failed: " + ex);
                    }
                }
            } else if (event == CAUGHT_UP) {
                live = true;
                log.accept("analysis caught up with the journal: " + processed.get() + " records, " + signals.size()
                        + " signals");
                for (AnalysisStage stage : stageArray) {
                    try {
                        stage.onCaughtUp();
                    } catch (RuntimeException ex) {
                        stageError(stage, ex);
                    }
                }
            } else if (event instanceof HistogramEvent h) {
                advance(h.timeMillis());
                for (AnalysisStage stage : stageArray) {
                    try {
                        stage.onHistogram(h.series(), h.timeMillis(), h.snapshot());
                    } catch (RuntimeException ex) {
                        stageError(stage, ex);
                    }
                }
            } else if (event instanceof LogEntry e) {
                advance(e.timeNanos() / 1_000_000L);
                for (AnalysisStage stage : stageArray) {
                    try {
                        stage.onLog(e);
                    } catch (RuntimeException ex) {
                        stageError(stage, ex);
                    }
                }
            } else if (event != null) {
                for (AnalysisStage stage : stageArray) {
                    try {
                        stage.onEvent(event);
                    } catch (RuntimeException ex) {
                        stageError(stage, ex);
                    }
                }
            }
        }
        deliverPending();
        tick(Math.max(eventTime, journalTime));
        deliverPending();
    }

    private void advance(long timeMillis) {
        if (timeMillis > eventTime) {
            eventTime = timeMillis;
        }
    }

    @Override
    public void publish(Signal signal) {
        if (silent) {
            return;
        }
        signals.put(signal);
        pending.addLast(signal);
    }

    private void deliverPending() {
        if (dispatching) {
            return;
        }
        dispatching = true;
        try {
            Signal s;
            while ((s = pending.pollFirst()) != null) {
                for (AnalysisStage stage : stageArray) {
                    try {
                        stage.onSignal(s);
                    } catch (RuntimeException ex) {
                        stageError(stage, ex);
                    }
                }
            }
        } finally {
            dispatching = false;
        }
    }

    private void stageError(AnalysisStage stage, RuntimeException ex) {
        if (stageErrors.incrementAndGet() <= 20) {
            log.accept("analysis stage " + stage.name() + " failed: " + ex);
        }
    }

    @Override
    public String roleName() {
        return "sextant-analysis";
    }

    // ---- context ---------------------------------------------------------------------------------

    @Override
    public SeriesStore store() {
        return store;
    }

    @Override
    public SignalLog signals() {
        return signals;
    }

    @Override
    public boolean replaying() {
        return !live;
    }

    @Override
    public long nowMillis() {
        return eventTime;
    }

    // ---- telemetry (any thread) ----------------------------------------------------------------

    /** @return records handed over and processed so far. */
    public long processed() {
        return processed.get();
    }

    /** @return bytes waiting in the hand-over ring. */
    public int backlogBytes() {
        return ring.size();
    }

    /** @return capacity of the hand-over ring. */
    public int capacityBytes() {
        return ring.capacity();
    }

    /** @return times the store tailer had to wait for space (the analysis was behind). */
    public long producerWaits() {
        return producerWaits.get();
    }

    /** @return exceptions thrown by stages (each skipped that record for that stage only). */
    public long stageErrors() {
        return stageErrors.get();
    }

    /** @return true once the replay is done. */
    public boolean live() {
        return live;
    }

    /** @return the stages, in call order. */
    public List<AnalysisStage> stages() {
        return stages;
    }
}
