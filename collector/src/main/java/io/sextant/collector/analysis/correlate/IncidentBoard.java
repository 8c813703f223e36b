package io.sextant.collector.analysis.correlate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The published incidents: immutable snapshots replaced whole by the analysis thread (the one writer), read
 * by HTTP threads. An incident merged into another stays reachable under its old id as an alias.
 */
public final class IncidentBoard {

    private static final int MAX_ALIASES = 10_000;

    private final ConcurrentHashMap<String, IncidentSnapshot> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> aliases = new ConcurrentHashMap<>();
    private final Map<String, String> aliasOrder = new LinkedHashMap<>();

    void put(IncidentSnapshot snapshot) {
        byId.put(snapshot.id(), snapshot);
    }

    void remove(String id, String mergedInto) {
        byId.remove(id);
        if (mergedInto != null) {
            aliases.put(id, mergedInto);
            aliasOrder.put(id, mergedInto);
            if (aliasOrder.size() > MAX_ALIASES) {
                String eldest = aliasOrder.keySet().iterator().next();
                aliasOrder.remove(eldest);
                aliases.remove(eldest);
            }
        }
    }

    /** Merged ids and the incident each was merged into, oldest first. Analysis thread. */
    Map<String, String> aliases() {
        return aliasOrder;
    }

    /** Forgets everything (before a checkpoint's board is loaded). Analysis thread. */
    void clear() {
        byId.clear();
        aliases.clear();
        aliasOrder.clear();
    }

    /** The incident, following merges; null when unknown. Any thread. */
    public IncidentSnapshot get(String id) {
        IncidentSnapshot s = byId.get(id);
        for (int hops = 0; s == null && hops < 8; hops++) {
            id = aliases.get(id);
            if (id == null) {
                return null;
            }
            s = byId.get(id);
        }
        return s;
    }

    /** Incidents matching a filter, newest start first, at most {@code limit}. Any thread. */
    public List<IncidentSnapshot> find(Predicate<IncidentSnapshot> filter, int limit) {
        List<IncidentSnapshot> out = new ArrayList<>();
        for (IncidentSnapshot s : byId.values()) {
            if (filter.test(s)) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparingLong(IncidentSnapshot::startMillis).reversed()
                .thenComparing(IncidentSnapshot::id));
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    /** Every incident held, in no particular order. Any thread. */
    public List<IncidentSnapshot> all() {
        return new ArrayList<>(byId.values());
    }

    public int size() {
        return byId.size();
    }
}
