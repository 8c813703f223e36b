package io.sextant.collector.analysis.correlate;

import io.sextant.collector.analysis.Signal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Ranks the likely causes of one incident from its members and the dependency graph.
 *
 * <p>Each affected service gets a score from four pieces of evidence: <b>onset order</b> (how soon after the
 * incident's first symptom its own first symptom came), <b>propagation</b> (the share of the other affected
 * services that call it, directly or through others, and went bad no earlier: a callee that went bad first
 * explains its callers), not being a <b>victim</b> (calling an affected service that went bad first), and the
 * <b>strength</b> of its strongest deviation (the detector's score and, where the store holds the series, how
 * far it moved from its level before the onset against the incident's largest move; a member that barely moved
 * counts as a lone weak signal). A change (deployment, model version) scores by how closely it
 * preceded the onset of the service it touched, plus that service's score. Specific candidates (a metric, a
 * JVM resource, a log template) take their service's score, refined by their own onset within the service and
 * strength, and rank below the service itself (the service is the better answer when its symptoms are not told
 * apart) except a saturated JVM resource (CPU, heap, GC) that deviates with or before the service's other
 * symptoms, since saturation explains latency and errors.
 *
 * <p>Stateless; called on the analysis thread.
 */
final class RootCauseRanker {

    static final int MAX_CAUSES = 20;
    private static final double ONSET_TAU_MILLIS = 90_000;
    private static final long SLACK_MILLIS = 15_000;
    /**
     * How long after a service's first symptom a change on it still counts as before it: log anomalies start at
     * the start of their (one-minute) count window, which can precede the change that caused them.
     */
    private static final long CHANGE_SLACK_MILLIS = 60_000;
    private static final long CHANGE_HORIZON_MILLIS = 900_000;
    private static final int MAX_HOPS = 8;
    /**
     * A metric member whose series moved less than this many robust standard deviations from its pre-onset
     * baseline is treated as a lone weak signal: a detector whose expected range had adapted to something else
     * (a previous fault, a recovery) flagged an ordinary value.
     */
    static final double MIN_DEVIATION = 5.0;
    /** A saturated JVM resource must have moved at least this far (when known) to explain its service. */
    static final double STRONG_DEVIATION = 8.0;

    private static final class Svc {
        final String name;
        long onset = Long.MAX_VALUE;
        double peak;
        /** Largest deviation from the pre-onset baseline of its counted members (NaN: none known). */
        double deviation = Double.NaN;
        String peakSummary = "";
        double score;
        /** Distinct anomalous subjects (metrics, templates, ...) on the service. */
        int breadth;
        /** False when every member of the service is a lone weak signal (noise that happened to land nearby). */
        boolean anchored;
        final List<String> evidence = new ArrayList<>();

        Svc(String name) {
            this.name = name;
        }
    }

    private static final class Candidate {
        final String kind;
        final String subject;
        final String service;
        long onset = Long.MAX_VALUE;
        double peak;
        double deviation = Double.NaN;
        int members;
        String summary = "";

        Candidate(String kind, String subject, String service) {
            this.kind = kind;
            this.subject = subject;
            this.service = service;
        }
    }

    List<Cause> rank(List<Member> unordered, Topology topology) {
        // Event-time order with the subject as tie-break: the ranking never depends on the order the signals
        // arrived in (across agent connections that order is arbitrary).
        List<Member> members = new ArrayList<>(unordered);
        members.sort(Comparator.comparingLong((Member m) -> onsetOf(m)).thenComparing(m -> m.key));
        boolean anyAnchored = false;
        for (Member m : members) {
            anyAnchored |= m.kind() != Signal.Kind.CHANGE && evidential(m);
        }
        Map<String, Svc> services = new LinkedHashMap<>();
        long t0 = Long.MAX_VALUE;
        for (Member m : members) {
            if (m.kind() == Signal.Kind.CHANGE) {
                continue;
            }
            // Lone weak members (noise that landed near the incident) neither set the incident's onset nor a
            // service's; a service with nothing else still appears, discounted.
            boolean counts = evidential(m) || !anyAnchored;
            if (counts) {
                t0 = Math.min(t0, onsetOf(m));
            }
            if (m.service().isEmpty()) {
                continue;
            }
            Svc s = services.computeIfAbsent(m.service(), Svc::new);
            if (counts && !s.anchored) {
                s.anchored = true;
                s.onset = Long.MAX_VALUE;
                s.peak = 0;
                s.deviation = Double.NaN;
                s.breadth = 0;
            } else if (!counts && s.anchored) {
                continue;
            }
            s.onset = Math.min(s.onset, onsetOf(m));
            s.breadth++;
            s.deviation = maxKnown(s.deviation, m.deviation);
            if (m.peak > s.peak) {
                s.peak = m.peak;
                s.peakSummary = m.latest.summary().isEmpty() ? m.subject() : m.latest.summary();
            }
        }
        if (t0 == Long.MAX_VALUE) {
            for (Svc s : services.values()) {
                t0 = Math.min(t0, s.onset);
            }
        }
        int widest = 1;
        double strongest = Double.NaN;
        for (Svc s : services.values()) {
            widest = Math.max(widest, s.breadth);
            strongest = maxKnown(strongest, s.deviation);
        }
        Map<String, Set<String>> downstream = new HashMap<>();
        for (Svc s : services.values()) {
            downstream.put(s.name, topology.downstream(s.name, MAX_HOPS));
        }
        for (Svc s : services.values()) {
            scoreService(s, services, downstream, t0, widest, strongest);
        }

        List<Cause> out = new ArrayList<>();
        for (Svc s : services.values()) {
            List<String> ev = new ArrayList<>(s.evidence);
            out.add(new Cause(0, "service", s.name, s.name, clamp(s.score * 0.97), ev));
        }
        Map<String, Candidate> specific = new LinkedHashMap<>();
        Map<String, Cause> changes = new LinkedHashMap<>();
        Map<String, Integer> changeCount = new HashMap<>();
        for (Member m : members) {
            if (m.kind() == Signal.Kind.CHANGE) {
                // A JVM starting for the first time is context, not a cause: nothing changed for it to regress
                // from. A restart (a new session of a known agent) can be a redeployment and stays a candidate.
                // Likewise a model alias set for the first time (no previous version: a service's start-up
                // deploying its model), while a promotion or rollback that replaces a version stays one.
                if (!m.latest.source().equals("agent-start") && !firstModelDeploy(m.latest)) {
                    // The same change on several instances of a service (a rolling deployment) is one candidate.
                    Cause c = changeCause(m, services, topology, t0);
                    String key = c.kind() + '|' + c.service() + '|' + m.latest.source();
                    Cause seen = changes.get(key);
                    if (seen == null || c.score() > seen.score()
                            || (c.score() == seen.score() && c.subject().compareTo(seen.subject()) < 0)) {
                        changes.put(key, c);
                    }
                    changeCount.merge(key, 1, Integer::sum);
                }
                continue;
            }
            String kind = kindOf(m.latest);
            String subject = subjectOf(kind, m.latest);
            Candidate c = specific.computeIfAbsent(kind + '|' + m.service() + '|' + subject,
                    k -> new Candidate(kind, subject, m.service()));
            c.onset = Math.min(c.onset, onsetOf(m));
            c.deviation = maxKnown(c.deviation, m.deviation);
            if (m.peak >= c.peak) {
                c.peak = m.peak;
                c.summary = m.latest.summary();
            }
            c.members++;
        }
        for (Map.Entry<String, Cause> e : changes.entrySet()) {
            Cause c = e.getValue();
            int n = changeCount.get(e.getKey());
            if (n > 1) {
                List<String> ev = new ArrayList<>(c.evidence());
                ev.add(n + " instances of " + c.service() + " changed; the one closest before the onset is shown");
                c = new Cause(0, c.kind(), c.subject(), c.service(), c.score(), ev);
            }
            out.add(c);
        }
        for (Candidate c : specific.values()) {
            out.add(specificCause(c, services.get(c.service), t0, strongest));
        }
        out.sort(Comparator.comparingDouble(Cause::score).reversed().thenComparing(Cause::kind)
                .thenComparing(Cause::service).thenComparing(Cause::subject));
        List<Cause> ranked = new ArrayList<>(Math.min(out.size(), MAX_CAUSES));
        for (int i = 0; i < out.size() && i < MAX_CAUSES; i++) {
            ranked.add(out.get(i).ranked(i + 1));
        }
        return ranked;
    }

    private static void scoreService(Svc s, Map<String, Svc> services, Map<String, Set<String>> downstream, long t0,
                                     int widest, double strongest) {
        double onsetScore = Math.exp(-Math.max(0, s.onset - t0) / ONSET_TAU_MILLIS);
        s.evidence.add(s.onset == t0 ? "first symptom of the incident"
                : "onset " + CorrelationStage.seconds(s.onset - t0) + " after the first symptom");
        int others = 0;
        for (Svc o : services.values()) {
            others += o != s && o.anchored ? 1 : 0;
        }
        int explained = 0;
        List<String> explainedNames = new ArrayList<>();
        String victimOf = null;
        for (Svc o : services.values()) {
            if (o == s || !o.anchored) {
                continue;
            }
            if (o.onset >= s.onset - SLACK_MILLIS && downstream.get(o.name).contains(s.name)) {
                explained++;
                if (explainedNames.size() < 5) {
                    explainedNames.add(o.name);
                }
            }
            if (victimOf == null && o.onset <= s.onset + SLACK_MILLIS && downstream.get(s.name).contains(o.name)) {
                victimOf = o.name;
            }
        }
        double propagation;
        if (others == 0) {
            propagation = 0.5;
        } else {
            propagation = explained / (double) others;
            if (explained > 0) {
                s.evidence.add("explains " + explained + " of " + others + " other affected services, which call it"
                        + " and went bad no earlier (" + String.join(", ", explainedNames)
                        + (explained > explainedNames.size() ? ", ..." : "") + ")");
            }
        }
        double notVictim = 1.0;
        if (victimOf != null) {
            notVictim = 0.0;
            s.evidence.add("calls " + victimOf + ", which went bad at the same time or earlier (likely a victim)");
        }
        s.evidence.add(String.format(Locale.ROOT, "strongest deviation %.2f: %s", s.peak, s.peakSummary));
        double strength = strength(s.peak, s.deviation, strongest);
        if (!Double.isNaN(s.deviation)) {
            s.evidence.add(String.format(Locale.ROOT, "moved %.1f robust standard deviations from its pre-onset"
                    + " baseline (the incident's largest move: %.1f)", s.deviation, strongest));
        }
        double breadth = s.breadth / (double) widest;
        s.evidence.add(s.breadth + (s.breadth == 1 ? " anomalous subject" : " anomalous subjects") + " on " + s.name);
        s.score = 0.275 * onsetScore + 0.275 * propagation + 0.15 * strength + 0.20 * notVictim + 0.10 * breadth;
        if (!s.anchored) {
            s.score *= 0.5;
            s.evidence.add("only lone weak signals, which nothing else corroborates");
        }
    }

    private static Cause changeCause(Member m, Map<String, Svc> services, Topology topology, long t0) {
        Signal c = m.latest;
        String kind = isModelChange(c) ? "model-version" : "deployment";
        List<String> ev = new ArrayList<>();
        ev.add("change: " + (c.summary().isEmpty() ? c.subject() : c.summary()));
        Svc own = services.get(c.service());
        long onset;
        double base;
        if (own != null) {
            onset = own.onset;
            base = own.score;
            ev.add("its service " + c.service() + " is affected");
        } else {
            onset = Long.MAX_VALUE;
            double best = 0;
            for (Svc o : services.values()) {
                if (topology.calls(o.name, c.service())) {
                    onset = Math.min(onset, o.onset);
                    best = Math.max(best, o.score);
                }
            }
            if (onset == Long.MAX_VALUE) {
                onset = t0;
            } else {
                ev.add("its service " + c.service() + " is called by affected services");
            }
            base = 0.6 * best;
        }
        long gap = onset - c.startMillis();
        double proximity;
        double score;
        if (gap < -CHANGE_SLACK_MILLIS) {
            proximity = 0.1;
            ev.add("made " + CorrelationStage.seconds(-gap) + " after the symptoms began");
            score = 0.5 * base;
        } else {
            proximity = 1.0 - 0.6 * Math.min(1.0, Math.max(0, gap) / (double) CHANGE_HORIZON_MILLIS);
            ev.add("made " + CorrelationStage.seconds(Math.max(0, gap)) + " before the onset of the symptoms");
            // A change shortly before its own service went bad explains that service's symptoms better than the
            // service does: it ranks just above it (further from the onset, below it).
            score = base * (0.9 + 0.1 * proximity);
        }
        return new Cause(0, kind, c.subject().isEmpty() ? c.id() : c.subject(), c.service(), clamp(score), ev);
    }

    private static Cause specificCause(Candidate c, Svc s, long t0, double strongest) {
        List<String> ev = new ArrayList<>();
        double serviceScore = s == null ? 0.3 * Math.exp(-(c.onset - t0) / ONSET_TAU_MILLIS) : s.score;
        long within = s == null ? c.onset - t0 : c.onset - s.onset;
        double specific = 0.6 * Math.exp(-within / ONSET_TAU_MILLIS) + 0.4 * strength(c.peak, c.deviation, strongest);
        ev.add(within <= 0 ? "first symptom on " + (c.service.isEmpty() ? "the incident" : c.service)
                : "onset " + CorrelationStage.seconds(within) + " after the first symptom on "
                + (c.service.isEmpty() ? "the incident" : c.service));
        double bonus = 0;
        if (c.kind.equals("jvm-resource") && within <= 60_000 && saturates(c.subject)
                && !(c.deviation < STRONG_DEVIATION)) {
            bonus = 0.1;
            ev.add("a saturated JVM resource (CPU, heap, GC) deviating with or before the service's other symptoms"
                    + " explains them");
        }
        ev.add(String.format(Locale.ROOT, "deviation %.2f%s: %s", c.peak,
                c.members > 1 ? " (" + c.members + " signals)" : "", c.summary));
        if (!Double.isNaN(c.deviation)) {
            ev.add(String.format(Locale.ROOT, "moved %.1f robust standard deviations from its pre-onset baseline",
                    c.deviation));
        }
        if (s != null) {
            for (String e : s.evidence) {
                if (e.startsWith("explains") || e.startsWith("calls")) {
                    ev.add(c.service + " " + e);
                }
            }
        }
        return new Cause(0, c.kind, c.subject, c.service, clamp(serviceScore * (0.8 + 0.15 * Math.min(1.0, specific) + bonus)), ev);
    }

    /**
     * True when {@code m} is evidence: anchored (strong or corroborated) and, when its move from the pre-onset
     * baseline is known, a move of at least {@link #MIN_DEVIATION}.
     */
    static boolean evidential(Member m) {
        return m.anchored && !(m.deviation < MIN_DEVIATION);
    }

    /**
     * When {@code m}'s symptom began: its series' first point at least {@link #MIN_DEVIATION} from the pre-onset
     * baseline when known (a detector can open an anomaly on an ordinary value just before the real move and keep
     * it open through it), else its signal's start.
     */
    static long onsetOf(Member m) {
        return m.movedMillis == Long.MIN_VALUE ? m.onsetMillis : Math.max(m.onsetMillis, m.movedMillis);
    }

    /**
     * Strength of a deviation in [0, 1]: the detector's peak score, and when the moves from the pre-onset baseline
     * are known, half of it is this move's size (on a log scale) against the incident's largest move.
     */
    static double strength(double peak, double deviation, double strongest) {
        if (Double.isNaN(deviation) || Double.isNaN(strongest) || strongest <= 0) {
            return peak;
        }
        return 0.5 * peak + 0.5 * Math.min(1.0, Math.log1p(deviation) / Math.log1p(strongest));
    }

    private static double maxKnown(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    /** CPU, heap and GC exhaustion cause latency and errors; a thread count rather follows slow calls. */
    private static boolean saturates(String subject) {
        String s = subject.toLowerCase(Locale.ROOT);
        return s.contains("cpu") || s.contains("gc") || s.contains("heap") || s.contains("memory");
    }

    /** A model change that set an alias with no version before it (labels without {@code previous}). */
    static boolean firstModelDeploy(Signal c) {
        return isModelChange(c) && c.labels().containsKey("alias") && !c.labels().containsKey("previous");
    }

    static boolean isModelChange(Signal c) {
        return c.labels().containsKey("model") || c.source().toLowerCase(Locale.ROOT).contains("model")
                || c.subject().toLowerCase(Locale.ROOT).startsWith("model");
    }

    static String kindOf(Signal s) {
        if (s.kind() == Signal.Kind.LOG_ANOMALY) {
            return "log-template";
        }
        if (s.kind() == Signal.Kind.DRIFT || s.kind() == Signal.Kind.QUALITY) {
            return "model-version";
        }
        String name = metricName(s.subject()).toLowerCase(Locale.ROOT);
        if (name.contains("cpu") || name.contains("gc") || name.contains("heap") || name.contains("memory")
                || name.contains("thread")) {
            return "jvm-resource";
        }
        return "metric";
    }

    private static String subjectOf(String kind, Signal s) {
        switch (kind) {
            case "log-template":
                return CorrelationStage.templateText(s);
            case "model-version": {
                String model = s.labels().get("model");
                String version = s.labels().get("version");
                return model == null ? s.subject() : model + (version == null ? "" : "/" + version);
            }
            default:
                return metricName(s.subject());
        }
    }

    static String metricName(String subject) {
        int brace = subject.indexOf('{');
        return brace < 0 ? subject : subject.substring(0, brace);
    }

    private static double clamp(double v) {
        return Math.max(0.0, Math.min(1.0, v));
    }
}
