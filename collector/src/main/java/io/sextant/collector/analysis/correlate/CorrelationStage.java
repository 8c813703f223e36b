package io.sextant.collector.analysis.correlate;

import io.sextant.collector.analysis.AnalysisContext;
import io.sextant.collector.analysis.AnalysisStage;
import io.sextant.collector.analysis.Signal;
import io.sextant.collector.analysis.anomaly.Severity;
import io.sextant.collector.store.MetricSeries;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Groups the signals of every kind into incidents, online, as they are published.
 *
 * <p>A signal joins an open incident when it is near in time (within {@link Config#windowMillis} of the
 * incident's span) and related to a member: the same subject (folded in as a duplicate), the same service, a
 * caller or callee of a member's service in the dependency graph (learned from the span-derived
 * {@code sextant.dependency.calls} series), a shared identifying label (model, host, instance, template, ...),
 * or a similar log template ({@code templateText} label of {@code LOG_ANOMALY} signals). A signal relating to
 * several open incidents merges them into the oldest. A signal related to none opens a new incident.
 *
 * <p><b>Held-back noise.</b> Detectors on hundreds of series raise a steady trickle of weak, lone alerts. A new
 * incident is confirmed (published, handed to remediation, given its changes) when its first signal scores at least
 * {@link Config#confirmScore}, or once a related signal of another subject starts within {@link Config#confirmMillis}
 * of an earlier member. Until then it is pending: only signals starting within that time of it can join it, and
 * when that time has passed unconfirmed it is dropped (its signals stay in the signal log). Repeats of the same
 * subject do not confirm; a change (not a first agent start) on the same service within that time before the
 * signal does. Where the store holds a metric member's series, its move from the level before its onset counts
 * too ({@link Baselines}): an incident whose every symptom barely moved stays pending, and a lone signal that moved
 * far is confirmed on its own. After a model version change, {@link ModelChangeCheck} compares the serving
 * service's gauges with their level before the change and publishes a lasting shift as a symptom.
 * {@code CHANGE} signals never open an incident on their own: they are remembered for
 * {@link Config#changeLookbackMillis} and join every incident whose services they touch, before or during it (a
 * change is a candidate cause of each).
 * {@code PREDICTED} signals group only among themselves, into predicted incidents. An incident resolves once
 * every member has recovered ({@code open=false}, or no update for {@link Config#staleMillis}) and
 * {@link Config#quietMillis} of event time passed without a new signal.
 *
 * <p>Only event time is used (signal times and {@link #onTick}), and ids derive from the first member, so a
 * replay of the journal rebuilds the same incidents under the same ids. Memory is bounded: at most
 * {@link Config#maxIncidents} incidents (the oldest resolved go first), {@link Config#maxMembers} members each.
 *
 * <p>A new incident, a new member, a merge or a resolution is published at once; a member's signal growing or
 * recovering is published (and the incident re-ranked) on the next tick, so a long incident's updates cost one
 * ranking a second rather than one per update.
 *
 * <p>Threading: every method runs on the analysis thread; HTTP threads read the {@link IncidentBoard}.
 */
public final class CorrelationStage implements AnalysisStage, io.sextant.collector.analysis.AnalysisHistory {

    /**
     * @param windowMillis         how far apart in time a signal and an incident may be and still group
     * @param quietMillis          how long after its last member recovered an incident resolves
     * @param changeLookbackMillis how long before an incident's onset a change counts as a candidate cause
     * @param staleMillis          an open member with no update for this long counts as recovered
     * @param maxIncidents         incidents kept (open and resolved)
     * @param maxMembers           members per incident (further signals are counted, not kept)
     * @param maxEdges             dependency edges kept
     * @param confirmMillis        a lone weak signal is held back until a related signal of another subject starts
     *                             within this long of it (0: every signal is an incident at once)
     * @param confirmScore         a signal scoring at least this is an incident on its own
     */
    public record Config(long windowMillis, long quietMillis, long changeLookbackMillis, long staleMillis,
                         int maxIncidents, int maxMembers, int maxEdges, long confirmMillis, double confirmScore) {
        public static final Config DEFAULT = new Config(300_000, 180_000, 900_000, 1_800_000, 2_000, 500, 10_000,
                60_000, 0.8);

        public Config {
            if (windowMillis <= 0 || quietMillis <= 0 || changeLookbackMillis < 0 || staleMillis <= 0
                    || confirmMillis < 0) {
                throw new IllegalArgumentException("correlation window and quiet period must be positive, the"
                        + " confirmation time not negative: window " + windowMillis + " ms, quiet " + quietMillis
                        + " ms, confirm " + confirmMillis + " ms");
            }
            if (maxIncidents < 1 || maxMembers < 1 || maxEdges < 1) {
                throw new IllegalArgumentException("correlation bounds must be positive");
            }
        }

        /** These settings with another window, quiet period and confirmation time. */
        public Config with(long windowMillis, long quietMillis, long confirmMillis) {
            return new Config(windowMillis, quietMillis, changeLookbackMillis, staleMillis, maxIncidents, maxMembers,
                    maxEdges, confirmMillis, confirmScore);
        }
    }

    static final String DEPENDENCY_CALLS = "sextant.dependency.calls";
    static final String DECLARED_CALLS = "sextant.dependency.declared_calls";
    private static final int MAX_TIMELINE = 200;
    /** A lone signal whose series moved this many robust standard deviations from its baseline confirms itself. */
    static final double CONFIRM_DEVIATION = 12.0;
    /** An unflagged JVM resource is measured from this long before its service's first symptom... */
    private static final long PROBE_LEAD_MILLIS = 180_000;
    /** ...and counts when it moved no later than this after it. */
    private static final long PROBE_LAG_MILLIS = 60_000;
    private static final int MAX_CHANGES = 2_000;
    /** Labels too common to relate two signals on their own. */
    private static final Set<String> WEAK_LABELS = Set.of("service", "__name__", "status", "level", "env",
            "span_kind", "operation", "quantile", "le", "detector", "templateText", "kind", "area", "pool", "gc",
            "state", "unit", "version");

    private final Config cfg;
    private final Topology topology;
    private final RootCauseRanker ranker = new RootCauseRanker();
    /** Reads the deviation of metric members from their pre-onset baseline; null until started. */
    private Baselines baselines;
    /** Compares a model-serving service's series with their level before a model version change; null until started. */
    private ModelChangeCheck modelCheck;
    private final IncidentBoard board = new IncidentBoard();
    private final LinkedHashMap<String, Incident> incidents = new LinkedHashMap<>();
    private final Map<String, Incident> bySignal = new HashMap<>();
    private final ArrayDeque<Signal> changes = new ArrayDeque<>();
    /** Incidents whose members grew or recovered since the last tick; republished (and re-ranked) on the tick. */
    private final Set<Incident> dirty = new java.util.LinkedHashSet<>();
    private long now;

    /** Mutable state of one incident; analysis thread only. */
    final class Incident {
        final String id;
        final boolean predicted;
        boolean confirmed;
        final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
        /** JVM resources of affected services that no detector flagged, measured against their baseline. */
        final Map<String, Member> probes = new HashMap<>();
        final ArrayDeque<IncidentSnapshot.Event> timeline = new ArrayDeque<>();
        long startMillis;
        long lastActivity;
        boolean resolved;
        long resolvedAt;
        int overflow;

        /** An incident read back from a checkpoint ({@link CorrelationHistory}). */
        Incident(String id, boolean predicted) {
            this.id = id;
            this.predicted = predicted;
        }

        Incident(Signal first) {
            this.id = String.format(Locale.ROOT, "inc-%d-%08x", first.startMillis(), first.id().hashCode());
            this.predicted = first.kind() == Signal.Kind.PREDICTED;
            this.startMillis = first.startMillis();
            this.lastActivity = first.endMillis();
            this.confirmed = predicted || cfg.confirmMillis() == 0 || first.score() >= cfg.confirmScore();
        }

        void event(long t, String what, String signalId, String text) {
            if (timeline.size() >= MAX_TIMELINE) {
                timeline.removeFirst();
            }
            timeline.addLast(new IncidentSnapshot.Event(t, what, signalId, text));
        }

        Set<String> services() {
            Set<String> out = new TreeSet<>();
            for (Member m : members.values()) {
                if (!m.service().isEmpty()) {
                    out.add(m.service());
                }
            }
            return out;
        }

        boolean near(Signal s) {
            if (!confirmed) {
                return Math.abs(s.startMillis() - startMillis) <= cfg.confirmMillis();
            }
            return s.startMillis() <= lastActivity + cfg.windowMillis() && s.endMillis() >= startMillis - cfg.windowMillis();
        }

        /**
         * Marks {@code m} anchored when it is strong or another subject's member started within the confirmation
         * time of it (and that member too). Only anchored members keep the incident active: a lone weak signal
         * that happened to land near it joins, but cannot stretch the incident on and on.
         */
        void anchor(Member m) {
            if (m.kind() == Signal.Kind.CHANGE) {
                return;
            }
            if (!m.anchored) {
                if (cfg.confirmMillis() == 0 || m.peak >= cfg.confirmScore()) {
                    m.anchored = true;
                } else {
                    for (Member o : members.values()) {
                        if (o != m && o.kind() != Signal.Kind.CHANGE
                                && Math.abs(o.onsetMillis - m.onsetMillis) <= cfg.confirmMillis()
                                && relation(m.latest, o) != null) {
                            m.anchored = true;
                            if (!o.anchored) {
                                o.anchored = true;
                                lastActivity = Math.max(lastActivity, o.endMillis);
                            }
                        }
                    }
                }
            }
            if (m.anchored) {
                lastActivity = Math.max(lastActivity, m.endMillis);
            }
        }

        /**
         * True when every symptom's move from its series' pre-onset baseline is known and small: a detector flagged
         * ordinary values (its expected range had adapted to something else), which confirms nothing.
         */
        boolean barelyMoved() {
            if (baselines == null || cfg.confirmMillis() == 0) {
                return false;
            }
            List<Member> symptoms = new ArrayList<>();
            for (Member m : members.values()) {
                if (m.kind() != Signal.Kind.CHANGE) {
                    symptoms.add(m);
                }
            }
            measure(symptoms);
            for (Member m : symptoms) {
                if (!(m.deviation < RootCauseRanker.MIN_DEVIATION)) {
                    return false;
                }
            }
            return !symptoms.isEmpty();
        }

        /**
         * True once two members of different subjects started within the confirmation time of each other, or one
         * is strong (to its detector, or by its move from the pre-onset baseline, at least
         * {@link #CONFIRM_DEVIATION} robust standard deviations), unless every member barely moved from its baseline.
         */
        boolean corroborated() {
            if (barelyMoved()) {
                return false;
            }
            for (Member m : members.values()) {
                if (m.kind() != Signal.Kind.CHANGE && m.deviation >= CONFIRM_DEVIATION) {
                    return true; // a lone signal whose series left its baseline by far is no detector noise
                }
            }
            List<Member> ms = new ArrayList<>();
            for (Member m : members.values()) {
                if (m.kind() != Signal.Kind.CHANGE) {
                    ms.add(m);
                }
            }
            for (int i = 0; i < ms.size(); i++) {
                if (ms.get(i).peak >= cfg.confirmScore()) {
                    return true;
                }
                for (int j = i + 1; j < ms.size(); j++) {
                    if (Math.abs(ms.get(i).onsetMillis - ms.get(j).onsetMillis) <= cfg.confirmMillis()) {
                        return true;
                    }
                }
            }
            return false;
        }

        void add(Signal s, String reason) {
            if (members.size() >= cfg.maxMembers()) {
                overflow++;
                return;
            }
            Member m = new Member(s, reason);
            members.put(m.key, m);
            bySignal.put(s.id(), this);
            startMillis = Math.min(startMillis, s.startMillis());
            anchor(m);
            event(s.startMillis(), members.size() == 1 ? "opened" : "joined", s.id(),
                    label(s) + " — " + reason);
        }
    }

    /** A relation between a new signal and an incident. */
    private record Relation(int strength, String reason, Member duplicate) {
    }

    private java.util.function.Consumer<IncidentSnapshot> listener = i -> { };

    public CorrelationStage() {
        this(Config.DEFAULT);
    }

    public CorrelationStage(Config cfg) {
        this.cfg = cfg;
        this.topology = new Topology(cfg.maxEdges());
    }

    /** The thread-safe view the API reads. */
    /**
     * Sets who hears of every new or changed incident (remediation), on the analysis thread, after the
     * board has it. Call before start.
     */
    public CorrelationStage onIncident(java.util.function.Consumer<IncidentSnapshot> listener) {
        this.listener = listener;
        return this;
    }

    public IncidentBoard board() {
        return board;
    }

    @Override
    public void start(AnalysisContext context) {
        // Signals arrive through onSignal, edges through onSample; the store gives the members' baselines.
        baselines = new Baselines(context.store());
        modelCheck = new ModelChangeCheck(context.store(), context::publish);
    }

    @Override
    public void onSample(MetricSeries series, long timeMillis, double value) {
        String name = series.name();
        if (name.length() >= DECLARED_CALLS.length() - 9 && name.startsWith("sextant.dependency.")
                && (name.equals(DEPENDENCY_CALLS) || name.equals(DECLARED_CALLS))) {
            Map<String, String> labels = series.labels();
            topology.edge(labels.get("caller"), labels.get("callee"));
        }
    }

    /** Records a caller to callee edge known from elsewhere (agent metadata, configuration, tests). */
    public void dependency(String caller, String callee) {
        topology.edge(caller, callee);
    }

    @Override
    public void onSignal(Signal s) {
        now = Math.max(now, s.endMillis());
        Incident known = bySignal.get(s.id());
        if (known != null && incidents.get(known.id) == known) {
            update(known, s);
            return;
        }
        if (s.kind() == Signal.Kind.CHANGE) {
            onChange(s);
            return;
        }
        boolean predicted = s.kind() == Signal.Kind.PREDICTED;
        Incident best = null;
        Relation bestRelation = null;
        List<Incident> related = new ArrayList<>();
        for (Incident inc : incidents.values()) {
            if (inc.resolved || inc.predicted != predicted || !inc.near(s)) {
                continue;
            }
            Relation r = relate(inc, s);
            if (r == null) {
                continue;
            }
            related.add(inc);
            if (bestRelation == null || r.strength() > bestRelation.strength()) {
                best = inc;
                bestRelation = r;
            }
        }
        if (best == null) {
            Incident inc = new Incident(s);
            incidents.put(inc.id, inc);
            inc.add(s, predicted ? "first prediction: opened a predicted incident" : "first signal: opened the incident");
            if (inc.confirmed && !predicted && inc.barelyMoved()) {
                inc.confirmed = false; // strong to its detector, yet its series barely left its baseline: held back
            } else if (!inc.confirmed && !predicted && baselines != null && inc.corroborated()) {
                inc.confirmed = true;
                inc.event(s.startMillis(), "confirmed", s.id(), label(s) + " left its series' baseline by far");
            }
            evict();
            if (!inc.confirmed && !predicted) {
                for (Signal c : changes) {
                    if (followsChange(inc, c)) {
                        inc.confirmed = true;
                        inc.event(s.startMillis(), "confirmed", c.id(), label(c) + " on the same service just before it");
                        break;
                    }
                }
            }
            if (inc.confirmed) {
                attachChanges(inc, s.service());
                publish(inc);
            }
            return;
        }
        if (bestRelation.duplicate() != null) {
            bestRelation.duplicate().fold(s);
            bySignal.put(s.id(), best);
            best.anchor(bestRelation.duplicate());
            best.event(s.startMillis(), "repeated", s.id(), label(s) + " — " + bestRelation.reason());
        } else {
            boolean newService = !s.service().isEmpty() && !best.services().contains(s.service());
            best.add(s, bestRelation.reason());
            if (newService) {
                attachChanges(best, s.service());
            }
        }
        for (Incident other : related) {
            if (other != best) {
                merge(best, other, s);
            }
        }
        if (!best.confirmed && best.corroborated()) {
            best.confirmed = true;
            best.event(s.startMillis(), "confirmed", s.id(), label(s) + " corroborates it");
            for (String service : best.services()) {
                attachChanges(best, service);
            }
        }
        if (best.confirmed) {
            publish(best);
        }
    }

    private void update(Incident inc, Signal s) {
        for (Member m : inc.members.values()) {
            if (m.holds(s.id())) {
                boolean wasOpen = m.open();
                m.fold(s);
                inc.anchor(m);
                if (wasOpen && !m.open()) {
                    inc.event(s.endMillis(), "recovered", s.id(), label(s) + " recovered");
                }
                if (!inc.confirmed) {
                    if (inc.corroborated()) {
                        inc.confirmed = true;
                        inc.event(s.endMillis(), "confirmed", s.id(), label(s) + " grew strong enough");
                        for (String service : inc.services()) {
                            attachChanges(inc, service);
                        }
                        publish(inc);
                    }
                } else if (inc.resolved && s.open()) {
                    inc.resolved = false;
                    inc.event(s.endMillis(), "reopened", s.id(), label(s) + " is anomalous again");
                    publish(inc);
                } else {
                    dirty.add(inc);
                }
                return;
            }
        }
    }

    private void onChange(Signal c) {
        if (modelCheck != null) {
            modelCheck.onChange(c);
        }
        changes.addLast(c);
        while (changes.size() > MAX_CHANGES
                || (!changes.isEmpty() && changes.peekFirst().startMillis() < now - 2 * cfg.changeLookbackMillis())) {
            changes.removeFirst();
        }
        for (Incident inc : incidents.values()) {
            if (!inc.confirmed && !inc.predicted && followsChange(inc, c)) {
                inc.confirmed = true;
                inc.event(c.startMillis(), "confirmed", c.id(), label(c) + " on the same service just before it");
                for (String service : inc.services()) {
                    attachChanges(inc, service);
                }
                publish(inc);
                continue;
            }
            if (inc.resolved || inc.predicted || !inc.confirmed
                    || c.startMillis() > inc.lastActivity + cfg.windowMillis()
                    || c.startMillis() < inc.startMillis - cfg.changeLookbackMillis()) {
                continue;
            }
            String reason = changeReason(inc, c);
            if (reason != null) {
                inc.add(c, reason);
                publish(inc);
            }
        }
    }

    /**
     * True when change {@code c} (not a first agent start) touched a service of the pending incident within the
     * confirmation time before one of its members began: a change is what corroborates a weak symptom best.
     */
    private boolean followsChange(Incident inc, Signal c) {
        if (c.source().equals("agent-start")) {
            return false;
        }
        for (Member m : inc.members.values()) {
            if (m.kind() != Signal.Kind.CHANGE && m.service().equals(c.service())
                    && m.onsetMillis >= c.startMillis() && m.onsetMillis - c.startMillis() <= cfg.confirmMillis()) {
                return true;
            }
        }
        return false;
    }

    /** Adds the remembered changes that touch {@code service} and happened shortly before or during the incident. */
    private void attachChanges(Incident inc, String service) {
        if (inc.predicted || service.isEmpty()) {
            return;
        }
        for (Signal c : changes) {
            if (inc.members.containsKey(Member.keyOf(c)) || c.startMillis() < inc.startMillis - cfg.changeLookbackMillis()
                    || c.startMillis() > inc.lastActivity + cfg.windowMillis()) {
                continue;
            }
            String reason = changeReason(service, inc.startMillis, c);
            if (reason != null) {
                inc.add(c, reason);
            }
        }
    }

    private String changeReason(Incident inc, Signal c) {
        for (String service : inc.services()) {
            String r = changeReason(service, inc.startMillis, c);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    private String changeReason(String service, long onset, Signal c) {
        String when = c.startMillis() <= onset ? seconds(onset - c.startMillis()) + " before the incident's onset"
                : seconds(c.startMillis() - onset) + " after the incident's onset";
        if (c.service().equals(service)) {
            return "change on " + service + ", an affected service, " + when;
        }
        if (topology.calls(service, c.service())) {
            return "change on " + c.service() + ", which affected service " + service + " calls, " + when;
        }
        if (topology.calls(c.service(), service)) {
            return "change on " + c.service() + ", a caller of affected service " + service + ", " + when;
        }
        return null;
    }

    /** How {@code s} relates to the incident, strongest relation first; null when unrelated. */
    private Relation relate(Incident inc, Signal s) {
        String key = Member.keyOf(s);
        Member dup = inc.members.get(key);
        if (dup != null) {
            return new Relation(6, "duplicate of the member with the same subject " + s.subject(), dup);
        }
        Relation best = null;
        for (Member m : inc.members.values()) {
            Relation r = relation(s, m);
            if (r != null && (best == null || r.strength() > best.strength())) {
                best = r;
            }
        }
        return best;
    }

    /** How {@code s} relates to one member (same service, a dependency, a shared label, a similar template). */
    private Relation relation(Signal s, Member m) {
        Signal o = m.latest;
        Relation r = null;
        if (!s.service().isEmpty() && s.service().equals(o.service())) {
            if (o.kind() == Signal.Kind.CHANGE) {
                r = new Relation(4, "same service " + s.service() + " as change " + label(o) + " ("
                        + seconds(s.startMillis() - o.startMillis()) + " after it)", null);
            } else {
                r = new Relation(5, "same service " + s.service() + " as " + label(o) + " ("
                        + seconds(Math.abs(s.startMillis() - m.onsetMillis)) + " apart)", null);
            }
        } else if (!s.service().isEmpty() && !o.service().isEmpty() && o.kind() != Signal.Kind.CHANGE
                && (topology.calls(s.service(), o.service()) || topology.calls(o.service(), s.service()))) {
            String how = topology.calls(s.service(), o.service())
                    ? s.service() + " calls " + o.service() : o.service() + " calls " + s.service();
            r = new Relation(4, "dependency graph: " + how + " (" + label(o) + " "
                    + seconds(Math.abs(s.startMillis() - m.onsetMillis)) + " apart)", null);
        } else {
            String shared = sharedLabel(s.labels(), o.labels());
            if (shared != null) {
                r = new Relation(3, "shares label " + shared + " with " + label(o), null);
            } else if (s.kind() == Signal.Kind.LOG_ANOMALY && o.kind() == Signal.Kind.LOG_ANOMALY) {
                double sim = templateSimilarity(s, o);
                if (sim >= 0.5) {
                    r = new Relation(2, String.format(Locale.ROOT,
                            "log template similar to '%s' (word similarity %.2f)", templateText(o), sim), null);
                }
            }
        }
        return r;
    }

    private static String sharedLabel(Map<String, String> a, Map<String, String> b) {
        for (Map.Entry<String, String> e : a.entrySet()) {
            if (WEAK_LABELS.contains(e.getKey()) || e.getValue() == null || e.getValue().isEmpty()) {
                continue;
            }
            if (e.getValue().equals(b.get(e.getKey()))) {
                return e.getKey() + "=" + e.getValue();
            }
        }
        return null;
    }

    static String templateText(Signal s) {
        String t = s.labels().get("templateText");
        if (t == null || t.isEmpty()) {
            t = s.labels().getOrDefault("template", s.subject());
        }
        return t;
    }

    /** Jaccard similarity of the templates' words (variable parts {@code <*>} and {@code {}} ignored). */
    static double templateSimilarity(Signal a, Signal b) {
        Set<String> x = words(templateText(a));
        Set<String> y = words(templateText(b));
        if (x.isEmpty() || y.isEmpty()) {
            return 0;
        }
        int both = 0;
        for (String w : x) {
            if (y.contains(w)) {
                both++;
            }
        }
        return both / (double) (x.size() + y.size() - both);
    }

    private static Set<String> words(String text) {
        Set<String> out = new HashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}_.]+")) {
            if (!w.isEmpty() && !w.equals("*")) {
                out.add(w);
            }
        }
        return out;
    }

    private void merge(Incident into, Incident from, Signal via) {
        for (Member m : from.members.values()) {
            if (into.members.containsKey(m.key) || into.members.size() >= cfg.maxMembers()) {
                into.overflow += into.members.containsKey(m.key) ? 0 : 1;
                continue;
            }
            into.members.put(m.key, m);
            for (String id : m.ids()) {
                bySignal.put(id, into);
            }
        }
        into.startMillis = Math.min(into.startMillis, from.startMillis);
        into.lastActivity = Math.max(into.lastActivity, from.lastActivity);
        into.overflow += from.overflow;
        into.confirmed |= from.confirmed;
        into.event(via.startMillis(), "merged", via.id(), "merged incident " + from.id + " (" + label(via)
                + " relates to both)");
        incidents.remove(from.id);
        board.remove(from.id, into.id);
    }

    @Override
    public void onTick(long nowMillis) {
        now = Math.max(now, nowMillis);
        if (modelCheck != null) {
            modelCheck.onTick(now);
        }
        // publish() takes an incident off the dirty set, so walk a copy
        List<Incident> changed = new ArrayList<>(dirty);
        dirty.clear();
        for (Incident inc : changed) {
            if (incidents.get(inc.id) == inc) {
                publish(inc);
            }
        }
        Iterator<Incident> it = incidents.values().iterator();
        while (it.hasNext()) {
            Incident inc = it.next();
            if (!inc.confirmed) {
                // nothing corroborated it in time: noise, never shown (its signals stay in the signal log)
                if (now - inc.startMillis > cfg.confirmMillis() + cfg.quietMillis()) {
                    drop(inc);
                    it.remove();
                }
                continue;
            }
            if (inc.resolved || now - inc.lastActivity < cfg.quietMillis()) {
                continue;
            }
            boolean recovered = true;
            for (Member m : inc.members.values()) {
                if (m.kind() != Signal.Kind.CHANGE && m.open() && now - m.endMillis < cfg.staleMillis()) {
                    recovered = false;
                    break;
                }
            }
            if (recovered) {
                inc.resolved = true;
                inc.resolvedAt = now;
                inc.event(now, "resolved", "", "every member recovered and nothing new for "
                        + seconds(now - inc.lastActivity));
                publish(inc);
            }
        }
    }

    private void evict() {
        Iterator<Incident> it = incidents.values().iterator();
        while (incidents.size() > cfg.maxIncidents() && it.hasNext()) {
            Incident inc = it.next();
            if (inc.resolved) {
                drop(inc);
                it.remove();
            }
        }
        it = incidents.values().iterator();
        while (incidents.size() > cfg.maxIncidents() && it.hasNext()) {
            Incident inc = it.next();
            drop(inc);
            it.remove();
        }
    }

    private void drop(Incident inc) {
        for (Member m : inc.members.values()) {
            for (String id : m.ids()) {
                bySignal.remove(id, inc);
            }
        }
        board.remove(inc.id, null);
    }

    private void publish(Incident inc) {
        dirty.remove(inc);
        if (!inc.confirmed) {
            return;
        }
        List<Member> members = new ArrayList<>(inc.members.values());
        measure(members);
        List<Member> ranked = new ArrayList<>(members);
        ranked.addAll(probe(inc, members));
        List<Cause> causes = ranker.rank(ranked, topology);
        List<IncidentSnapshot.Member> shown = new ArrayList<>(members.size());
        Severity severity = Severity.INFO;
        long end = inc.lastActivity;
        for (Member m : members) {
            shown.add(new IncidentSnapshot.Member(m.latest, m.reason, m.occurrences));
            if (m.kind() != Signal.Kind.CHANGE && m.latest.severity().compareTo(severity) > 0) {
                severity = m.latest.severity();
            }
            if (m.kind() != Signal.Kind.CHANGE) {
                end = Math.max(end, m.endMillis);
            }
        }
        if (inc.resolved) {
            end = Math.max(end, inc.resolvedAt);
        }
        List<String> services = new ArrayList<>(inc.services());
        IncidentSnapshot snapshot = new IncidentSnapshot(inc.id, title(inc, causes, services),
                inc.resolved ? "RESOLVED" : "OPEN", severity, inc.startMillis, end, services, inc.predicted, shown,
                new ArrayList<>(inc.timeline), causes);
        board.put(snapshot);
        listener.accept(snapshot);
    }

    /**
     * The JVM resources (series {@code jvm.*}) of each service with a symptom that no detector flagged but that
     * moved at least {@link RootCauseRanker#STRONG_DEVIATION} from their level before, with or before the service's
     * first symptom: a detector can miss a resource creeping up (a leak) that explains the symptoms. They join the
     * ranking as candidates, not the incident's members.
     */
    private List<Member> probe(Incident inc, List<Member> members) {
        if (baselines == null || inc.predicted) {
            return List.of();
        }
        Map<String, Long> onsets = new java.util.TreeMap<>();
        Set<String> flagged = new HashSet<>();
        for (Member m : members) {
            flagged.add(m.subject());
            if (m.kind() != Signal.Kind.CHANGE && !m.service().isEmpty() && RootCauseRanker.evidential(m)) {
                onsets.merge(m.service(), RootCauseRanker.onsetOf(m), Math::min);
            }
        }
        List<Member> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : onsets.entrySet()) {
            long from = e.getValue() - PROBE_LEAD_MILLIS;
            for (Baselines.Probe p : baselines.resources(e.getKey())) {
                if (flagged.contains(p.subject())) {
                    continue;
                }
                Member m = inc.probes.get(p.subject());
                if (m == null || m.latest.startMillis() != from) {
                    Signal s = new Signal("probe:" + p.subject() + "@" + from, Signal.Kind.METRIC_ANOMALY, "baseline",
                            e.getKey(), p.subject(), p.labels(), from, from, 0.5, Severity.WARNING, Double.NaN,
                            Double.NaN, Double.NaN, false, p.name() + " of " + e.getKey()
                            + ", which no detector flagged, moved from its level before the symptoms");
                    m = new Member(s, "not flagged; measured against its baseline");
                    m.anchored = true;
                    inc.probes.put(p.subject(), m);
                }
                long until = Math.min(now, from + Baselines.SPAN_MILLIS);
                if (until > m.deviationUntil) {
                    double[] d = baselines.deviation(m.latest, from, until, now);
                    m.deviation = d[0];
                    m.movedMillis = Double.isNaN(d[1]) ? Long.MIN_VALUE : (long) d[1];
                    m.deviationUntil = until;
                    m.endMillis = until;
                }
                if (m.deviation >= RootCauseRanker.STRONG_DEVIATION && m.movedMillis != Long.MIN_VALUE
                        && m.movedMillis <= e.getValue() + PROBE_LAG_MILLIS) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    /** Refreshes each metric member's deviation from its pre-onset baseline while its read window grows. */
    private void measure(List<Member> members) {
        if (baselines == null) {
            return;
        }
        for (Member m : members) {
            if (m.kind() != Signal.Kind.METRIC_ANOMALY) {
                continue;
            }
            long until = Math.min(Math.min(m.endMillis, m.onsetMillis + Baselines.SPAN_MILLIS), now);
            if (until > m.deviationUntil) {
                double[] d = baselines.deviation(m.latest, m.onsetMillis, m.endMillis, now);
                m.deviation = d[0];
                m.movedMillis = Double.isNaN(d[1]) ? Long.MIN_VALUE : (long) d[1];
                m.deviationUntil = until;
            }
        }
    }

    private static String title(Incident inc, List<Cause> causes, List<String> services) {
        StringBuilder b = new StringBuilder();
        if (inc.predicted) {
            b.append("Predicted: ");
        }
        int n = inc.members.size();
        b.append(n).append(n == 1 ? " signal" : " signals");
        if (!services.isEmpty()) {
            b.append(" on ").append(String.join(", ", services.size() > 4 ? services.subList(0, 4) : services));
            if (services.size() > 4) {
                b.append(" +").append(services.size() - 4);
            }
        }
        if (!causes.isEmpty()) {
            Cause top = causes.get(0);
            b.append("; likely cause: ").append(top.kind()).append(' ').append(top.subject());
            if (!top.service().isEmpty() && !top.subject().equals(top.service())) {
                b.append(" (").append(top.service()).append(')');
            }
        }
        return b.toString();
    }

    // ---- checkpoint history (the format lives in CorrelationHistory) ----

    @Override
    public void saveHistory(io.sextant.collector.store.CheckpointOut out) {
        out.putLong(now);
        CorrelationHistory.saveState(out, topology, changes, incidents.values(), dirty);
        CorrelationHistory.saveBoard(out, board);
    }

    @Override
    public void loadHistory(io.sextant.collector.store.CheckpointIn in) {
        incidents.clear();
        bySignal.clear();
        changes.clear();
        dirty.clear();
        now = in.getLong();
        CorrelationHistory.loadState(in, this, topology, changes, inc -> {
            incidents.put(inc.id, inc);
            for (Member m : inc.members.values()) {
                for (String id : m.ids()) {
                    bySignal.put(id, inc);
                }
            }
        }, dirty::add);
        CorrelationHistory.loadBoard(in, board);
    }

    static String label(Signal s) {
        return s.kind().name() + " " + (s.subject().isEmpty() ? s.id() : s.subject());
    }

    static String seconds(long millis) {
        return millis % 1000 == 0 ? (millis / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
