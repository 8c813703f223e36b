package io.sextant.collector.analysis.correlate;

import io.sextant.collector.analysis.Signal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One member of an incident: a signal subject (kind, service and subject) with every signal id folded into it
 * (the same subject re-published, the same id updated). Owned by the analysis thread.
 */
final class Member {

    /** Ids of one member kept for folding; later ids are only counted. */
    static final int MAX_IDS = 32;

    final String key;
    final String reason;
    Signal latest;
    long onsetMillis;
    long endMillis;
    double peak;
    int occurrences;
    /** Strong, or corroborated by another subject starting close to it: it keeps its incident active. */
    boolean anchored;
    /**
     * How far its series moved from the pre-onset baseline, in robust standard deviations ({@link Baselines});
     * NaN when unknown (not a stored metric series, too little history).
     */
    double deviation = Double.NaN;
    /** Time of the first point that moved {@link RootCauseRanker#MIN_DEVIATION} (Long.MIN_VALUE: unknown). */
    long movedMillis = Long.MIN_VALUE;
    /** The read window's end the deviation was computed up to (Long.MIN_VALUE: never). */
    long deviationUntil = Long.MIN_VALUE;
    private final Map<String, Boolean> openById = new LinkedHashMap<>();

    Member(Signal s, String reason) {
        this.key = keyOf(s);
        this.reason = reason;
        this.latest = s;
        this.onsetMillis = s.startMillis();
        this.endMillis = s.endMillis();
        this.peak = s.score();
        this.occurrences = 1;
        openById.put(s.id(), s.open());
    }

    static String keyOf(Signal s) {
        // A change's source is part of what it is: an agent's restart is a candidate cause, its first start only
        // context, and the two must not fold into one member under their common subject (the agent).
        return s.kind() == Signal.Kind.CHANGE
                ? s.kind().name() + '|' + s.service() + '|' + s.subject() + '|' + s.source()
                : s.kind().name() + '|' + s.service() + '|' + s.subject();
    }

    /** Folds a new version of a known id, or a new id of the same subject. @return true when it was a new id. */
    boolean fold(Signal s) {
        boolean fresh = !openById.containsKey(s.id());
        if (fresh) {
            occurrences++;
            if (openById.size() >= MAX_IDS) {
                openById.remove(openById.keySet().iterator().next());
            }
        }
        openById.put(s.id(), s.open());
        latest = s;
        onsetMillis = Math.min(onsetMillis, s.startMillis());
        endMillis = Math.max(endMillis, s.endMillis());
        peak = Math.max(peak, s.score());
        return fresh;
    }

    /** Each folded id and whether it is open (checkpoints read and refill it). */
    Map<String, Boolean> idStates() {
        return openById;
    }

    boolean holds(String id) {
        return openById.containsKey(id);
    }

    Iterable<String> ids() {
        return openById.keySet();
    }

    /** True while any folded signal is still open. */
    boolean open() {
        return openById.containsValue(Boolean.TRUE);
    }

    Signal.Kind kind() {
        return latest.kind();
    }

    String service() {
        return latest.service();
    }

    String subject() {
        return latest.subject();
    }
}
