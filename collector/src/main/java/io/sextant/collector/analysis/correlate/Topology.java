package io.sextant.collector.analysis.correlate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The service dependency graph as the correlation sees it: caller to callee edges learned from the
 * span-derived series {@code sextant.dependency.calls} and {@code sextant.dependency.declared_calls}
 * (the same series {@code /api/v1/dependencies} reads). Bounded: once {@code capacity} edges are known the
 * least recently seen is forgotten.
 *
 * <p>Owned by the analysis thread.
 */
final class Topology {

    private final int capacity;
    private final LinkedHashMap<String, Edge> edges;
    private final Map<String, Set<String>> callees = new HashMap<>();
    private final Map<String, Set<String>> callers = new HashMap<>();

    private record Edge(String caller, String callee) {
    }

    Topology(int capacity) {
        this.capacity = capacity;
        this.edges = new LinkedHashMap<>(256, 0.75f, true);
    }

    /** Records that {@code caller} calls {@code callee}. */
    void edge(String caller, String callee) {
        if (caller == null || callee == null || caller.isEmpty() || callee.isEmpty() || caller.equals(callee)) {
            return;
        }
        String key = caller + '\u0000' + callee;
        if (edges.get(key) != null) {
            return;
        }
        edges.put(key, new Edge(caller, callee));
        callees.computeIfAbsent(caller, k -> new HashSet<>()).add(callee);
        callers.computeIfAbsent(callee, k -> new HashSet<>()).add(caller);
        if (edges.size() > capacity) {
            var eldest = edges.entrySet().iterator().next();
            edges.remove(eldest.getKey());
            remove(callees, eldest.getValue().caller(), eldest.getValue().callee());
            remove(callers, eldest.getValue().callee(), eldest.getValue().caller());
        }
    }

    private static void remove(Map<String, Set<String>> map, String from, String to) {
        Set<String> set = map.get(from);
        if (set != null) {
            set.remove(to);
            if (set.isEmpty()) {
                map.remove(from);
            }
        }
    }

    /** True when {@code caller} calls {@code callee} directly. */
    boolean calls(String caller, String callee) {
        Set<String> set = callees.get(caller);
        return set != null && set.contains(callee);
    }

    /** Every service reachable from {@code caller} through at most {@code maxHops} calls. */
    Set<String> downstream(String caller, int maxHops) {
        Set<String> seen = new HashSet<>();
        ArrayDeque<String> frontier = new ArrayDeque<>();
        frontier.add(caller);
        for (int hop = 0; hop < maxHops && !frontier.isEmpty(); hop++) {
            int n = frontier.size();
            for (int i = 0; i < n; i++) {
                Set<String> next = callees.get(frontier.pollFirst());
                if (next == null) {
                    continue;
                }
                for (String s : next) {
                    if (!s.equals(caller) && seen.add(s)) {
                        frontier.addLast(s);
                    }
                }
            }
        }
        return seen;
    }

    int size() {
        return edges.size();
    }

    /** Every edge, oldest first (for checkpoints: adding them in this order rebuilds the same topology). */
    void forEachEdge(java.util.function.BiConsumer<String, String> action) {
        for (Edge e : new ArrayList<>(edges.values())) {
            action.accept(e.caller(), e.callee());
        }
    }
}
