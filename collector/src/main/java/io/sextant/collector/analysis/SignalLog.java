package io.sextant.collector.analysis;

import io.sextant.collector.analysis.anomaly.Severity;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The latest version of every recent signal, bounded: once {@code capacity} distinct ids are held the
 * oldest is forgotten (counted). One writer (the analysis thread); readers on any thread see each
 * signal's latest published version.
 */
public final class SignalLog implements AnalysisHistory {

    private final int capacity;
    private final ConcurrentHashMap<String, Signal> byId = new ConcurrentHashMap<>();
    private final ArrayDeque<String> order = new ArrayDeque<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();

    public SignalLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Stores a new signal or a new version of one. Writer thread. */
    public void put(Signal signal) {
        if (byId.put(signal.id(), signal) == null) {
            order.addLast(signal.id());
            while (order.size() > capacity) {
                byId.remove(order.removeFirst());
                evicted.lazySet(evicted.get() + 1);
            }
        }
        published.lazySet(published.get() + 1);
    }

    /** Writes every signal held, oldest first. Writer thread. */
    @Override
    public void saveHistory(io.sextant.collector.store.CheckpointOut out) {
        out.putInt(order.size());
        for (String id : order) {
            SignalCodec.write(out, byId.get(id));
        }
    }

    /** Replaces the signals held with saved ones. Writer thread, before any publication. */
    @Override
    public void loadHistory(io.sextant.collector.store.CheckpointIn in) {
        int n = in.getCount(8);
        byId.clear();
        order.clear();
        for (int i = 0; i < n; i++) {
            Signal s = SignalCodec.read(in);
            if (byId.put(s.id(), s) == null) {
                order.addLast(s.id());
            }
        }
        while (order.size() > capacity) {
            byId.remove(order.removeFirst());
        }
    }

    /** The latest version of a signal, or null. Any thread. */
    public Signal get(String id) {
        return byId.get(id);
    }

    /**
     * Signals matching a filter, newest start first, at most {@code limit}. Any thread.
     */
    public List<Signal> find(Predicate<Signal> filter, int limit) {
        List<Signal> out = new ArrayList<>();
        for (Signal s : byId.values()) {
            if (filter.test(s)) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparingLong(Signal::startMillis).reversed().thenComparing(Signal::id));
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    /** A filter from the usual query parameters; null arguments match everything. */
    public static Predicate<Signal> filter(Signal.Kind kind, String service, Severity minSeverity, long fromMillis,
                                           long toMillis, Boolean open) {
        return s -> (kind == null || s.kind() == kind)
                && (service == null || service.equals(s.service()))
                && (minSeverity == null || s.severity().compareTo(minSeverity) >= 0)
                && s.endMillis() >= fromMillis && s.startMillis() <= toMillis
                && (open == null || s.open() == open);
    }

    public int size() {
        return byId.size();
    }

    /** Publications so far (new signals and updates). */
    public long published() {
        return published.get();
    }

    /** Signals forgotten because the log was full. */
    public long evicted() {
        return evicted.get();
    }
}
