package io.sextant.collector.analysis.correlate;

import io.sextant.collector.analysis.Signal;
import io.sextant.collector.analysis.SignalCodec;
import io.sextant.collector.analysis.anomaly.Severity;
import io.sextant.collector.store.CheckpointIn;
import io.sextant.collector.store.CheckpointOut;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The checkpoint format of the {@link CorrelationStage}: its working state (dependency edges, remembered
 * changes, every incident with its members, the ids folded into each, its timeline, whether it is confirmed
 * and which members anchor it, and which incidents await republication) and the published {@link IncidentBoard} (snapshots with their ranked causes, and the
 * aliases of merged incidents). Analysis thread only.
 */
final class CorrelationHistory {

    private CorrelationHistory() {
    }

    static void saveState(CheckpointOut out, Topology topology, ArrayDeque<Signal> changes,
                          Collection<CorrelationStage.Incident> incidents, Set<CorrelationStage.Incident> dirty) {
        List<String[]> edges = new ArrayList<>();
        topology.forEachEdge((a, b) -> edges.add(new String[] {a, b}));
        out.putInt(edges.size());
        for (String[] e : edges) {
            out.putString(e[0]).putString(e[1]);
        }
        out.putInt(changes.size());
        for (Signal c : changes) {
            SignalCodec.write(out, c);
        }
        out.putInt(incidents.size());
        for (CorrelationStage.Incident inc : incidents) {
            out.putString(inc.id).putBoolean(inc.predicted).putLong(inc.startMillis).putLong(inc.lastActivity)
                    .putBoolean(inc.resolved).putLong(inc.resolvedAt).putInt(inc.overflow).putBoolean(inc.confirmed);
            out.putInt(inc.members.size());
            for (Member m : inc.members.values()) {
                out.putString(m.reason).putLong(m.onsetMillis).putLong(m.endMillis).putDouble(m.peak)
                        .putInt(m.occurrences).putBoolean(m.anchored);
                SignalCodec.write(out, m.latest);
                out.putInt(m.idStates().size());
                for (Map.Entry<String, Boolean> e : m.idStates().entrySet()) {
                    out.putString(e.getKey()).putBoolean(e.getValue());
                }
            }
            out.putInt(inc.timeline.size());
            for (IncidentSnapshot.Event e : inc.timeline) {
                putEvent(out, e);
            }
            out.putBoolean(dirty.contains(inc));
        }
    }

    static void loadState(CheckpointIn in, CorrelationStage stage, Topology topology, ArrayDeque<Signal> changes,
                          Consumer<CorrelationStage.Incident> incidents, Consumer<CorrelationStage.Incident> dirty) {
        int edges = in.getCount(8);
        for (int i = 0; i < edges; i++) {
            topology.edge(in.getString(), in.getString());
        }
        int n = in.getCount(8);
        for (int i = 0; i < n; i++) {
            changes.addLast(SignalCodec.read(in));
        }
        n = in.getCount(8);
        for (int i = 0; i < n; i++) {
            CorrelationStage.Incident inc = stage.new Incident(in.getString(), in.getBoolean());
            inc.startMillis = in.getLong();
            inc.lastActivity = in.getLong();
            inc.resolved = in.getBoolean();
            inc.resolvedAt = in.getLong();
            inc.overflow = in.getInt();
            inc.confirmed = in.getBoolean();
            int members = in.getCount(8);
            for (int k = 0; k < members; k++) {
                String reason = in.getString();
                long onset = in.getLong();
                long end = in.getLong();
                double peak = in.getDouble();
                int occurrences = in.getInt();
                boolean anchored = in.getBoolean();
                Member m = new Member(SignalCodec.read(in), reason);
                m.onsetMillis = onset;
                m.endMillis = end;
                m.peak = peak;
                m.occurrences = occurrences;
                m.anchored = anchored;
                m.idStates().clear();
                int ids = in.getCount(5);
                for (int j = 0; j < ids; j++) {
                    m.idStates().put(in.getString(), in.getBoolean());
                }
                inc.members.put(m.key, m);
            }
            int events = in.getCount(8);
            for (int k = 0; k < events; k++) {
                inc.timeline.addLast(getEvent(in));
            }
            incidents.accept(inc);
            if (in.getBoolean()) {
                dirty.accept(inc);
            }
        }
    }

    static void saveBoard(CheckpointOut out, IncidentBoard board) {
        List<IncidentSnapshot> all = board.all();
        out.putInt(all.size());
        for (IncidentSnapshot s : all) {
            out.putString(s.id()).putString(s.title()).putString(s.state()).putString(s.severity().name())
                    .putLong(s.startMillis()).putLong(s.endMillis()).putBoolean(s.predicted());
            putStrings(out, s.services());
            out.putInt(s.members().size());
            for (IncidentSnapshot.Member m : s.members()) {
                SignalCodec.write(out, m.signal());
                out.putString(m.reason()).putInt(m.occurrences());
            }
            out.putInt(s.timeline().size());
            for (IncidentSnapshot.Event e : s.timeline()) {
                putEvent(out, e);
            }
            out.putInt(s.causes().size());
            for (Cause c : s.causes()) {
                out.putInt(c.rank()).putString(c.kind()).putString(c.subject()).putString(c.service())
                        .putDouble(c.score());
                putStrings(out, c.evidence());
            }
        }
        out.putMap(board.aliases());
    }

    static void loadBoard(CheckpointIn in, IncidentBoard board) {
        board.clear();
        int n = in.getCount(8);
        for (int i = 0; i < n; i++) {
            String id = in.getString();
            String title = in.getString();
            String state = in.getString();
            Severity severity = severity(in.getString());
            long start = in.getLong();
            long end = in.getLong();
            boolean predicted = in.getBoolean();
            List<String> services = getStrings(in);
            int members = in.getCount(8);
            List<IncidentSnapshot.Member> shown = new ArrayList<>(members);
            for (int k = 0; k < members; k++) {
                shown.add(new IncidentSnapshot.Member(SignalCodec.read(in), in.getString(), in.getInt()));
            }
            int events = in.getCount(8);
            List<IncidentSnapshot.Event> timeline = new ArrayList<>(events);
            for (int k = 0; k < events; k++) {
                timeline.add(getEvent(in));
            }
            int causes = in.getCount(8);
            List<Cause> ranked = new ArrayList<>(causes);
            for (int k = 0; k < causes; k++) {
                ranked.add(new Cause(in.getInt(), in.getString(), in.getString(), in.getString(), in.getDouble(),
                        getStrings(in)));
            }
            board.put(new IncidentSnapshot(id, title, state, severity, start, end, services, predicted, shown,
                    timeline, ranked));
        }
        // Aliases in their order (a LinkedHashMap read back keeps it).
        int aliases = in.getCount(8);
        for (int i = 0; i < aliases; i++) {
            String from = in.getString();
            board.remove(from, in.getString());
        }
    }

    private static Severity severity(String name) {
        try {
            return Severity.valueOf(name);
        } catch (IllegalArgumentException | NullPointerException ex) {
            throw new IllegalStateException("checkpoint holds a bad severity " + name, ex);
        }
    }

    private static void putEvent(CheckpointOut out, IncidentSnapshot.Event e) {
        out.putLong(e.timeMillis()).putString(e.what()).putString(e.signalId()).putString(e.text());
    }

    private static IncidentSnapshot.Event getEvent(CheckpointIn in) {
        return new IncidentSnapshot.Event(in.getLong(), in.getString(), in.getString(), in.getString());
    }

    private static void putStrings(CheckpointOut out, List<String> list) {
        out.putInt(list.size());
        for (String s : list) {
            out.putString(s);
        }
    }

    private static List<String> getStrings(CheckpointIn in) {
        int n = in.getCount(4);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(in.getString());
        }
        return out;
    }
}
