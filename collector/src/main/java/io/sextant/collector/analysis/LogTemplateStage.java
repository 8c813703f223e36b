package io.sextant.collector.analysis;

import io.sextant.collector.analysis.logs.LogAnomaly;
import io.sextant.collector.analysis.logs.TemplateMiner;
import io.sextant.collector.analysis.logs.TemplateStatistics;
import io.sextant.collector.analysis.logs.TemplateStats;
import io.sextant.collector.store.LogEntry;
import org.agrona.collections.Int2IntHashMap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The log-template stage: gives every log record a template with a stable id, keeps per-service statistics of each
 * template, and publishes log anomalies as {@link Signal.Kind#LOG_ANOMALY} signals.
 *
 * <p><b>Templates.</b> One {@link TemplateMiner} serves every service and every source, with one configuration: a
 * record that carries the agent's unformatted pattern ({@link LogEntry#template()}) gets the exact template of that
 * pattern; any other record (OTLP logs, agent records without a pattern) gets a template mined from its text.
 *
 * <p><b>Template ids</b> are 16 hex digits: a 64-bit hash of whether the template is exact and of its text when it
 * was first seen. So
 * <ul>
 *   <li>an exact template has the same id in every collector, for ever, whichever service logged it and whenever
 *       (its text depends only on the pattern; two patterns with the same template, {@code "{}"} and {@code "%s"},
 *       share it);</li>
 *   <li>a mined template has the same id across services (one miner) and across any replay of the same journal (the
 *       miner is deterministic and the journal order fixed), and across restarts as long as the line that created it
 *       is still in the journal. A mined template keeps its id when it later gains a variable; when the miner folds
 *       one template into another, the folded id stays valid and {@link #resolve(String) resolves} to the other;</li>
 *   <li>exact and mined templates never share an id, even with equal text.</li>
 * </ul>
 *
 * <p><b>Statistics and anomalies</b> are per service ({@link TemplateStatistics}, on the records' own time, so a
 * replay yields the same windows, anomalies and signal ids). Signal ids are
 * {@code log:<kind>:<service>:<template id or ->@<start millis>}. A signal is published open and closed once a
 * window has passed after its end.
 *
 * <p><b>Template ids of stored records.</b> The store tailer stores a record before the analysis sees it, so for a
 * moment (the analysis backlog) a searchable record has no template id yet. Rather than change the immutable
 * {@link LogEntry}, this stage keeps a bounded identity map from the record object (the very object the log store
 * holds) to its template, as large as the log store; a record not yet analysed simply has no id (it is left out of a
 * {@code ?template=ID} search until it has one). The map holds only the newest records, like the store.
 *
 * <p><b>Threading:</b> every method of {@link AnalysisStage} runs on the analysis thread, which alone writes the
 * miner and the statistics. HTTP threads read only the thread-safe views: the template descriptors, the per-service
 * snapshots published once a second ({@link #onTick}) and the record index.
 *
 * <p><b>Bounds:</b> at most {@code maxTemplates} templates (further new ones are refused and counted), at most
 * {@code maxTemplates} service-template statistics (further ones refused and counted), {@code indexCapacity}
 * records in the index.
 */
public final class LogTemplateStage implements AnalysisStage, AnalysisHistory {

    /**
     * Settings.
     *
     * @param maxTemplates  most templates, and most service-template statistics
     * @param statistics    windows and thresholds of the statistics, one set for every service
     * @param indexCapacity most records whose template id is remembered (the log store's capacity)
     */
    public record Config(int maxTemplates, TemplateStatistics.Config statistics, int indexCapacity) {

        public Config {
            if (maxTemplates < 1 || indexCapacity < 1) {
                throw new IllegalArgumentException("maxTemplates and indexCapacity must be positive");
            }
        }

        /** The defaults with the given window and warm-up. */
        public static Config of(int maxTemplates, long windowMillis, long warmupMillis, int indexCapacity) {
            TemplateStatistics.Config d = TemplateStatistics.Config.defaults();
            return new Config(maxTemplates, new TemplateStatistics.Config(windowMillis, d.historyWindows(),
                    d.minHistoryWindows(), warmupMillis, d.spikeZ(), d.spikeMinCount(), d.vanishMinMean(),
                    d.vanishMinPresence()), indexCapacity);
        }
    }

    /** Level names by the protocol's level code (0 unknown, 1 TRACE ... 6 FATAL). */
    static final String[] LEVEL_NAMES = {"UNKNOWN", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "LEVEL7"};
    private static final int SUMMARY_TEXT_MAX = 120;

    private final Config config;
    private final TemplateMiner miner;
    private final HashMap<String, ServiceLogs> services = new HashMap<>();
    /** Descriptor of each miner id (null for ids the stage never saw); several ids may share one. */
    private Template[] byMinerId = new Template[256];
    private final ArrayDeque<Signal> openSignals = new ArrayDeque<>();
    private final ArrayList<Template> ordinals = new ArrayList<>();
    private long seenFolds;
    private int statisticsPairs;
    private AnalysisContext context;

    // ---- views for other threads ----
    private final ConcurrentHashMap<String, Template> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ServiceView> views = new ConcurrentHashMap<>();
    private final RecordIndex index;
    private final AtomicLong lines = new AtomicLong();
    private final AtomicLong templatesRefused = new AtomicLong();
    private final AtomicLong statisticsRefused = new AtomicLong();
    private final AtomicLong anomalies = new AtomicLong();
    private volatile long nowMillis = Long.MIN_VALUE;
    /** Checkpointed statistics by service and template id (empty unless restarted from a checkpoint). */
    private Map<String, Map<String, TemplateView>> baseline = Map.of();
    /** True during the warm-up over records a loaded checkpoint already counted. */
    private boolean warming;
    /** Templates of the records the log store held at the checkpoint, by value; read by any thread. */
    private volatile Map<RecordKey, Template> restoredRecords = Map.of();

    public LogTemplateStage(Config config) {
        this.config = config;
        this.miner = new TemplateMiner(config.maxTemplates(), TemplateMiner.MAX_WORDS_DEFAULT);
        this.index = new RecordIndex(config.indexCapacity());
    }

    /**
     * A template as the API shows it: its stable id and current text. Shared with HTTP threads.
     */
    public static final class Template {
        final String id;
        final boolean exact;
        final int ordinal;
        /** The miner's id; -1 for a template read from a checkpoint until the miner hands it out again. */
        int minerId;
        volatile String text;
        /** The template this one was folded into, or null while it is live. */
        volatile Template into;

        Template(String id, boolean exact, int ordinal, int minerId, String text) {
            this.id = id;
            this.exact = exact;
            this.ordinal = ordinal;
            this.minerId = minerId;
            this.text = text;
        }

        /** This template, or the one it was folded into. */
        public Template current() {
            Template t = this;
            Template next;
            while ((next = t.into) != null) {
                t = next;
            }
            return t;
        }

        public String id() {
            return id;
        }

        public String text() {
            return text;
        }

        public boolean exact() {
            return exact;
        }
    }

    /**
     * One template's statistics in one service, as last published (immutable).
     *
     * @param windowStartMillis start of the open window (the last of {@code windows}) when this was published
     */
    public record TemplateView(Template template, String service, long count, long firstSeenMillis,
                               long lastSeenMillis, long[] byLevel, long windowStartMillis, long[] windows) {
    }

    /** What HTTP threads see of one service. */
    static final class ServiceView {
        final ConcurrentHashMap<String, TemplateView> templates = new ConcurrentHashMap<>();
        volatile long firstMillis;
        volatile long windowStartMillis;
    }

    /** One service's statistics: analysis thread only. */
    private final class ServiceLogs {
        final String name;
        final TemplateStatistics statistics;
        /** Template ordinal to local statistics index. */
        final Int2IntHashMap localByOrdinal = new Int2IntHashMap(-1);
        Template[] byLocal = new Template[16];
        boolean[] dirty = new boolean[16];
        int[] dirtyList = new int[16];
        int dirtyCount;
        final ServiceView view;
        long firstMillisOffset = Long.MIN_VALUE;
        /** Checkpointed counts not in {@link #statistics} (before the warm-up), by local index. */
        final HashMap<Integer, TemplateView> offsets = new HashMap<>();

        ServiceLogs(String name) {
            this.name = name;
            ServiceView restored = views.get(name);
            this.view = restored != null ? restored : new ServiceView();
            this.statistics = new TemplateStatistics(name, config.statistics(), this::text, this::onAnomaly);
        }

        String text(int local) {
            return local >= 0 && local < byLocal.length && byLocal[local] != null
                    ? byLocal[local].current().text : "";
        }

        /** Local index of a template, created when new; -1 when the bound refuses it. */
        int local(Template t, boolean create) {
            int local = localByOrdinal.get(t.ordinal);
            if (local >= 0 || !create) {
                return local;
            }
            if (statisticsPairs >= config.maxTemplates()) {
                statisticsRefused.incrementAndGet();
                return -1;
            }
            statisticsPairs++;
            local = localByOrdinal.size();
            localByOrdinal.put(t.ordinal, local);
            if (local >= byLocal.length) {
                byLocal = Arrays.copyOf(byLocal, byLocal.length * 2);
                dirty = Arrays.copyOf(dirty, dirty.length * 2);
                dirtyList = Arrays.copyOf(dirtyList, dirtyList.length * 2);
            }
            byLocal[local] = t;
            if (!warming) {
                offset(local, null);
            }
            return local;
        }

        /** The part of a checkpointed count that {@code stats} (what this process counted) lacks. */
        void offset(int local, TemplateStats stats) {
            Map<String, TemplateView> base = baseline.get(name);
            TemplateView b = base == null ? null : base.get(byLocal[local].id);
            if (b == null) {
                return;
            }
            long[] levels = b.byLevel().clone();
            long count = b.count();
            if (stats != null) {
                count -= stats.total();
                for (int i = 0; i < levels.length && i < stats.byLevel().length; i++) {
                    levels[i] -= stats.byLevel()[i];
                }
            }
            offsets.put(local, new TemplateView(b.template(), name, count, b.firstSeenMillis(), b.lastSeenMillis(),
                    levels, 0, null));
        }

        void markDirty(int local) {
            if (!dirty[local]) {
                dirty[local] = true;
                dirtyList[dirtyCount++] = local;
            }
        }

        void publish() {
            if (warming) {
                return; // the checkpointed view stays until the warm-up over its records is done
            }
            view.firstMillis = firstMillisOffset == Long.MIN_VALUE ? statistics.firstMillis()
                    : Math.min(firstMillisOffset, statistics.firstMillis());
            view.windowStartMillis = statistics.windowStartMillis();
            for (int i = 0; i < dirtyCount; i++) {
                int local = dirtyList[i];
                dirty[local] = false;
                Template t = byLocal[local];
                TemplateStats s = statistics.stats(local);
                TemplateView o = offsets.get(local);
                if (s == null) {
                    view.templates.remove(t.id);
                } else if (o == null) {
                    view.templates.put(t.id, new TemplateView(t, name, s.total(), s.firstSeenMillis(),
                            s.lastSeenMillis(), s.byLevel(), statistics.windowStartMillis(), s.windowCounts()));
                } else {
                    long[] levels = s.byLevel().clone();
                    for (int k = 0; k < levels.length && k < o.byLevel().length; k++) {
                        levels[k] += o.byLevel()[k];
                    }
                    view.templates.put(t.id, new TemplateView(t, name, s.total() + o.count(),
                            Math.min(s.firstSeenMillis(), o.firstSeenMillis()),
                            Math.max(s.lastSeenMillis(), o.lastSeenMillis()), levels, statistics.windowStartMillis(),
                            s.windowCounts()));
                }
            }
            dirtyCount = 0;
        }

        void onAnomaly(LogAnomaly a) {
            Template t = a.templateId() >= 0 ? byLocal[a.templateId()].current() : null;
            publishAnomaly(this, a, t);
        }
    }

    // ---- analysis thread ----------------------------------------------------------------------

    @Override
    public void start(AnalysisContext context) {
        this.context = context;
    }

    @Override
    public void onLog(LogEntry entry) {
        lines.lazySet(lines.get() + 1);
        String pattern = entry.template();
        int minerId = pattern.isEmpty() ? miner.match(entry.message()) : miner.matchPattern(pattern);
        if (miner.templateMerges() != seenFolds) {
            applyFolds();
        }
        if (minerId < 0) {
            templatesRefused.lazySet(miner.overflowed());
            return;
        }
        Template t = template(minerId);
        index.put(entry, t);
        ServiceLogs service = services.get(entry.service());
        if (service == null) {
            service = new ServiceLogs(entry.service());
            services.put(entry.service(), service);
            views.put(entry.service(), service.view);
        }
        int local = service.local(t, true);
        if (local < 0) {
            return;
        }
        int level = LogEntry.rank(entry.level()) + 1;
        service.statistics.record(local, level, entry.timeNanos() / 1_000_000L);
        service.markDirty(local);
    }

    /** The descriptor of a miner id: created at first sight, text kept current. */
    private Template template(int minerId) {
        if (minerId >= byMinerId.length) {
            byMinerId = Arrays.copyOf(byMinerId, Math.max(minerId + 1, byMinerId.length * 2));
        }
        Template t = byMinerId[minerId];
        String text = miner.templateText(minerId);
        if (t == null) {
            boolean exact = miner.template(minerId).exact();
            String id = templateId(exact, text);
            t = byId.get(id);
            if (t != null && t.minerId < 0) {
                t.minerId = minerId; // a checkpointed template handed out again
            }
            if (t == null) {
                t = new Template(id, exact, ordinals.size(), minerId, text);
                ordinals.add(t);
                byId.put(id, t);
            }
            byMinerId[minerId] = t;
        } else if (t.minerId == minerId && t.text != text) {
            t.text = text; // the template gained a variable: same id, new text
        }
        return t;
    }

    /** The miner folded templates into others: fold their descriptors and statistics too. */
    private void applyFolds() {
        long folds = miner.templateMerges();
        for (long f = seenFolds; f < folds; f++) {
            int id = miner.foldedId((int) f);
            Template from = id < byMinerId.length ? byMinerId[id] : null;
            if (from == null || from.minerId != id || from.into != null) {
                continue; // never given out (folded at once), an alias of another id's template, or done
            }
            int survivor = miner.resolve(id);
            if (survivor == id) {
                continue;
            }
            Template into = template(survivor).current();
            if (into == from) {
                continue;
            }
            from.into = into;
            for (ServiceLogs s : services.values()) {
                int lf = s.local(from, false);
                if (lf < 0) {
                    continue;
                }
                int li = s.local(into, true);
                if (li < 0) {
                    continue;
                }
                s.statistics.fold(lf, li);
                s.markDirty(lf);
                s.markDirty(li);
            }
        }
        seenFolds = folds;
    }

    @Override
    public void onTick(long now) {
        for (ServiceLogs s : services.values()) {
            s.statistics.advance(now);
            s.publish();
        }
        long window = config.statistics().windowMillis();
        for (Iterator<Signal> it = openSignals.iterator(); it.hasNext(); ) {
            Signal s = it.next();
            if (now - (s.endMillis() + window) >= 0) {
                it.remove();
                context.publish(s.closed(s.endMillis()));
            }
        }
        nowMillis = now;
    }

    @Override
    public void onCaughtUp() {
        for (ServiceLogs s : services.values()) {
            s.publish();
        }
    }

    private void publishAnomaly(ServiceLogs service, LogAnomaly a, Template t) {
        String kind = a.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
        String templateId = t == null ? "" : t.id;
        String text = t == null ? "" : t.text;
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("service", service.name);
        labels.put("anomaly", kind);
        if (t != null) {
            labels.put("template", templateId);
            labels.put("templateText", text);
        }
        String id = "log:" + kind + ':' + service.name + ':' + (t == null ? "-" : templateId) + '@' + a.startMillis();
        Signal signal = new Signal(id, Signal.Kind.LOG_ANOMALY, source(a.kind()), service.name, templateId, labels,
                a.startMillis(), a.endMillis(), a.score(), a.severity(), a.observed(), a.expected(), a.expected(),
                true, summary(service.name, a, text));
        anomalies.incrementAndGet();
        openSignals.addLast(signal);
        if (context != null) {
            context.publish(signal);
        }
    }

    private static String source(LogAnomaly.Kind kind) {
        return switch (kind) {
            case NEW_ERROR_TEMPLATE -> "new-template";
            case RATE_SPIKE, RATE_VANISHED -> "template-rate";
            case ERROR_BURST -> "error-burst";
        };
    }

    private String summary(String service, LogAnomaly a, String text) {
        String quoted = '"' + (text.length() > SUMMARY_TEXT_MAX ? text.substring(0, SUMMARY_TEXT_MAX) + "…" : text) + '"';
        String window = duration(config.statistics().windowMillis());
        long observed = Math.round(a.observed());
        String expected = String.format(Locale.ROOT, "%.1f", a.expected());
        return switch (a.kind()) {
            case NEW_ERROR_TEMPLATE -> service + " logged a message never seen before at "
                    + (a.score() >= 0.8 ? "FATAL" : "ERROR") + " level: " + quoted;
            case RATE_SPIKE -> service + " logged " + quoted + " " + observed + " times in " + window
                    + ", against about " + expected + " usually";
            case RATE_VANISHED -> service + " stopped logging " + quoted + " for " + window
                    + ", after about " + expected + " per window";
            case ERROR_BURST -> service + " logged " + observed + " error lines in " + window + ", against about "
                    + expected + " usually" + (text.isEmpty() ? "" : "; most were " + quoted);
        };
    }

    private static String duration(long millis) {
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + " h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + " min";
        }
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    /**
     * The id of a template: 16 hex digits of a 64-bit FNV-1a hash of a kind mark ({@code p} exact, {@code m} mined)
     * and the template's text when first seen.
     */
    static String templateId(boolean exact, String text) {
        long h = 0xcbf29ce484222325L;
        h = (h ^ (exact ? 'p' : 'm')) * 0x100000001b3L;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            h = (h ^ (c & 0xff)) * 0x100000001b3L;
            h = (h ^ (c >>> 8)) * 0x100000001b3L;
        }
        // a final mix so that ids of similar texts do not share their leading digits
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        String hex = Long.toHexString(h);
        return hex.length() == 16 ? hex : "0".repeat(16 - hex.length()) + hex;
    }

    // ---- checkpoint history ---------------------------------------------------------------------

    @Override
    public void saveHistory(io.sextant.collector.store.CheckpointOut out) {
        out.putLong(nowMillis).putInt(ordinals.size());
        for (Template t : ordinals) {
            out.putString(t.id).putBoolean(t.exact).putString(t.text).putString(t.into == null ? null : t.into.id);
        }
        // What publish() would show now (the views lag by up to a tick), from the statistics themselves.
        Map<String, List<TemplateView>> shown = new LinkedHashMap<>();
        Map<String, Long> firsts = new HashMap<>();
        for (ServiceLogs sl : services.values()) {
            boolean was = warming;
            warming = false;
            List<TemplateView> list = new ArrayList<>();
            for (int local = 0; local < sl.localByOrdinal.size(); local++) {
                TemplateStats st = sl.statistics.stats(local);
                if (st == null) {
                    continue;
                }
                TemplateView o = sl.offsets.get(local);
                long[] levels = st.byLevel().clone();
                long count = st.total();
                long first = st.firstSeenMillis();
                long last = st.lastSeenMillis();
                if (o != null) {
                    count += o.count();
                    for (int k = 0; k < levels.length && k < o.byLevel().length; k++) {
                        levels[k] += o.byLevel()[k];
                    }
                    first = Math.min(first, o.firstSeenMillis());
                    last = Math.max(last, o.lastSeenMillis());
                }
                list.add(new TemplateView(sl.byLocal[local], sl.name, count, first, last, levels,
                        sl.statistics.windowStartMillis(), st.windowCounts()));
            }
            warming = was;
            shown.put(sl.name, list);
            firsts.put(sl.name, sl.firstMillisOffset == Long.MIN_VALUE ? sl.statistics.firstMillis()
                    : Math.min(sl.firstMillisOffset, sl.statistics.firstMillis()));
        }
        // Services known only from a loaded checkpoint (no line since) keep their view.
        for (Map.Entry<String, ServiceView> e : views.entrySet()) {
            if (!shown.containsKey(e.getKey())) {
                shown.put(e.getKey(), new ArrayList<>(e.getValue().templates.values()));
                firsts.put(e.getKey(), e.getValue().firstMillis);
            }
        }
        out.putInt(shown.size());
        for (Map.Entry<String, List<TemplateView>> e : shown.entrySet()) {
            ServiceView v = views.get(e.getKey());
            out.putString(e.getKey()).putLong(firsts.get(e.getKey()))
                    .putLong(v == null ? 0 : v.windowStartMillis).putInt(e.getValue().size());
            for (TemplateView tv : e.getValue()) {
                out.putString(tv.template().id).putLong(tv.count()).putLong(tv.firstSeenMillis())
                        .putLong(tv.lastSeenMillis()).putLongs(tv.byLevel(), tv.byLevel().length)
                        .putLong(tv.windowStartMillis()).putLongs(tv.windows(), tv.windows().length);
            }
        }
        saveRecordIndex(out);
    }

    /**
     * The stored records' templates, oldest first, each as its time, a hash of what identifies it and its
     * template's ordinal (equal records get equal templates, so a value key is enough).
     */
    private void saveRecordIndex(io.sextant.collector.store.CheckpointOut out) {
        int at = out.position();
        out.putInt(0);
        int n = 0;
        for (int i = 0; i < index.ring.length; i++) {
            Key k = index.ring[(index.next + i) % index.ring.length];
            Template t = k == null ? null : index.map.get(k);
            if (t != null) {
                out.putLong(k.entry.timeNanos()).putLong(valueHash(k.entry)).putInt(t.ordinal);
                n++;
            }
        }
        out.putIntAt(at, n);
    }

    private static long valueHash(LogEntry e) {
        long h = 0xcbf29ce484222325L;
        for (String part : new String[] {e.service(), e.agent(), e.logger(), e.template(), e.message()}) {
            h = (h ^ (part == null ? 0 : part.hashCode())) * 0x100000001b3L;
            h ^= h >>> 29;
        }
        return h;
    }

    @Override
    public void loadHistory(io.sextant.collector.store.CheckpointIn in) {
        nowMillis = in.getLong();
        int n = in.getCount(8);
        List<String> into = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = in.getString();
            boolean exact = in.getBoolean();
            String text = in.getString();
            Template t = new Template(id, exact, ordinals.size(), -1, text == null ? "" : text);
            ordinals.add(t);
            byId.put(id, t);
            into.add(in.getString());
        }
        for (int i = 0; i < n; i++) {
            if (into.get(i) != null) {
                ordinals.get(i).into = byId.get(into.get(i));
            }
        }
        Map<String, Map<String, TemplateView>> base = new HashMap<>();
        int services = in.getCount(8);
        for (int i = 0; i < services; i++) {
            String service = in.getString();
            ServiceView view = new ServiceView();
            view.firstMillis = in.getLong();
            view.windowStartMillis = in.getLong();
            Map<String, TemplateView> byTemplate = new HashMap<>();
            int m = in.getCount(8);
            for (int k = 0; k < m; k++) {
                Template t = byId.get(in.getString());
                TemplateView tv = new TemplateView(t, service, in.getLong(), in.getLong(), in.getLong(),
                        in.getLongs(), in.getLong(), in.getLongs());
                if (t == null) {
                    throw new IllegalStateException("checkpointed log statistics name an unknown template");
                }
                byTemplate.put(t.id, tv);
                view.templates.put(t.id, tv);
            }
            base.put(service, byTemplate);
            views.put(service, view);
        }
        baseline = base;
        int records = in.getCount(20);
        HashMap<RecordKey, Template> restored = new HashMap<>(records * 2);
        for (int i = 0; i < records; i++) {
            long time = in.getLong();
            long hash = in.getLong();
            int ordinal = in.getInt();
            if (ordinal < 0 || ordinal >= ordinals.size()) {
                throw new IllegalStateException("checkpointed record index names template " + ordinal);
            }
            restored.put(new RecordKey(time, hash), ordinals.get(ordinal));
        }
        restoredRecords = restored;
        warming = true;
    }

    /** A stored record by value: its time and {@link #valueHash}. */
    private record RecordKey(long timeNanos, long hash) {
    }

    @Override
    public void historyResumed() {
        if (!warming) {
            return;
        }
        warming = false;
        for (ServiceLogs sl : services.values()) {
            ServiceView v = views.get(sl.name);
            if (v != null && v != sl.view) {
                continue;
            }
            sl.firstMillisOffset = sl.view.firstMillis == 0 ? Long.MIN_VALUE : sl.view.firstMillis;
            for (int local = 0; local < sl.localByOrdinal.size(); local++) {
                sl.offset(local, sl.statistics.stats(local));
                sl.markDirty(local);
            }
            sl.publish();
        }
    }

    // ---- any thread ---------------------------------------------------------------------------

    /** The template a stored record belongs to now, or null (not analysed yet, or no template). */
    public Template templateOf(LogEntry entry) {
        Template t = index.get(entry);
        if (t == null && !restoredRecords.isEmpty()) {
            t = restoredRecords.get(new RecordKey(entry.timeNanos(), valueHash(entry)));
        }
        return t == null ? null : t.current();
    }

    /** A template by id, following folds; null when unknown. */
    public Template find(String id) {
        Template t = id == null ? null : byId.get(id);
        return t == null ? null : t.current();
    }

    /** The id an id stands for now (itself unless folded), or null when unknown. */
    public String resolve(String id) {
        Template t = find(id);
        return t == null ? null : t.id;
    }

    /** Published per-service statistics (as of the last tick), by service. */
    Map<String, ServiceView> views() {
        return views;
    }

    /** Event time as of the last tick (Long.MIN_VALUE before the first). */
    long nowMillis() {
        return nowMillis;
    }

    public Config config() {
        return config;
    }

    /** Log records seen. */
    public long lines() {
        return lines.get();
    }

    /** Templates handed out (folded ones included). */
    public int templates() {
        return byId.size();
    }

    /** Records that got no template because the template table was full. */
    public long templatesRefused() {
        return templatesRefused.get();
    }

    /** Records not counted in their service's statistics because the service-template bound was reached. */
    public long statisticsRefused() {
        return statisticsRefused.get();
    }

    /** Log anomalies published (each once, not counting its closing). */
    public long anomalies() {
        return anomalies.get();
    }

    /**
     * Bounded identity map from stored records to their template, oldest forgotten first. One writer (the analysis
     * thread); readers on any thread.
     */
    static final class RecordIndex {
        final ConcurrentHashMap<Key, Template> map = new ConcurrentHashMap<>();
        final Key[] ring;
        int next;

        RecordIndex(int capacity) {
            this.ring = new Key[capacity];
        }

        void put(LogEntry entry, Template t) {
            Key old = ring[next];
            if (old != null) {
                map.remove(old);
            }
            Key k = new Key(entry);
            ring[next] = k;
            next = next + 1 == ring.length ? 0 : next + 1;
            map.put(k, t);
        }

        Template get(LogEntry entry) {
            return map.get(new Key(entry));
        }

        int size() {
            return map.size();
        }
    }

    /** A record compared by identity: records are values, but two equal lines are still two records. */
    private static final class Key {
        final LogEntry entry;
        final int hash;

        Key(LogEntry entry) {
            this.entry = entry;
            this.hash = System.identityHashCode(entry);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.entry == entry;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** Templates in id order (for tests and the API), live ones only. */
    List<Template> liveTemplates() {
        List<Template> out = new ArrayList<>();
        for (Template t : byId.values()) {
            if (t.into == null) {
                out.add(t);
            }
        }
        return out;
    }
}
