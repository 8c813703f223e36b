package io.sextant.collector.analysis;

import io.sextant.collector.analysis.anomaly.Severity;
import io.sextant.collector.store.LogEntry;
import io.sextant.collector.store.SeriesStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LogTemplateStageTest {

    private static final long T0 = 1_764_000_000_000L; // a window boundary (divisible by 60 000)
    private static final long MIN = 60_000;

    /** Records what the stage publishes, as the analysis loop does: into a real signal log. */
    private static final class Context implements AnalysisContext {
        final SignalLog signals = new SignalLog(10_000);
        final List<Signal> published = new ArrayList<>();

        @Override
        public void publish(Signal signal) {
            signals.put(signal);
            published.add(signal);
        }

        @Override
        public SeriesStore store() {
            return null;
        }

        @Override
        public SignalLog signals() {
            return signals;
        }

        @Override
        public boolean replaying() {
            return false;
        }

        @Override
        public long nowMillis() {
            return 0;
        }
    }

    private final Context context = new Context();
    private final LogTemplateStage stage = started(LogTemplateStage.Config.of(1000, MIN, 10 * MIN, 10_000), context);

    private static LogTemplateStage started(LogTemplateStage.Config config, Context context) {
        LogTemplateStage s = new LogTemplateStage(config);
        s.start(context);
        return s;
    }

    private static LogEntry entry(String service, long millis, String level, String pattern, String message) {
        return new LogEntry(millis * 1_000_000L, service, "i-1", level, "com.example.App", "main", pattern, message,
                "", "", "", Map.of());
    }

    private String log(String service, long millis, String level, String pattern, String message) {
        LogEntry e = entry(service, millis, level, pattern, message);
        stage.onLog(e);
        LogTemplateStage.Template t = stage.templateOf(e);
        return t == null ? null : t.id();
    }

    /** Distinct anomalies of a kind, each in its first published version. */
    private List<Signal> anomalies(String kind) {
        Map<String, Signal> first = new java.util.LinkedHashMap<>();
        for (Signal s : context.published) {
            if (s.kind() == Signal.Kind.LOG_ANOMALY && kind.equals(s.labels().get("anomaly"))) {
                first.putIfAbsent(s.id(), s);
            }
        }
        return new ArrayList<>(first.values());
    }

    @Test
    void agentPatternGivesAnExactTemplateWithTheSameIdInEveryServiceAndCollector() {
        String a = log("orders", T0, "INFO", "User {} logged in from {}", "User 42 logged in from 10.0.0.1");
        String b = log("billing", T0 + 1, "INFO", "User {} logged in from {}", "User alice logged in from host-7");
        assertThat(a).isEqualTo(b).isEqualTo(LogTemplateStage.templateId(true, "User <*> logged in from <*>"));
        assertThat(stage.find(a).text()).isEqualTo("User <*> logged in from <*>");
        assertThat(stage.find(a).exact()).isTrue();

        // another collector that saw other templates first gives the pattern the same id
        LogTemplateStage other = started(LogTemplateStage.Config.of(1000, MIN, 10 * MIN, 100), new Context());
        other.onLog(entry("x", T0, "INFO", "", "something else entirely"));
        other.onLog(entry("x", T0, "INFO", "Cache {} evicted", "Cache c1 evicted"));
        LogEntry e = entry("y", T0, "INFO", "User %s logged in from %s", "User 7 logged in from 10.0.0.2");
        other.onLog(e);
        assertThat(other.templateOf(e).id()).isEqualTo(a); // {} and %s give the same template
    }

    @Test
    void linesWithoutAPatternAreMinedAndKeepTheirIdWhenTheTemplateGainsAVariable() {
        String first = log("otel", T0, "INFO", "", "Connected to db-primary in 35 ms");
        String second = log("otel", T0 + 1, "INFO", "", "Connected to db-primary in 1204 ms");
        assertThat(second).isEqualTo(first);
        assertThat(stage.find(first).text()).isEqualTo("Connected to db-primary in <*> ms");
        assertThat(stage.find(first).exact()).isFalse();
        String other = log("otel", T0 + 2, "INFO", "", "Disconnected from db-primary after 3 queries");
        assertThat(other).isNotEqualTo(first);

        // the miner folds templates it now covers: the old id resolves to the survivor
        String cyrus = log("auth", T0, "INFO", "", "session closed for user cyrus");
        String news = log("auth", T0 + 1, "INFO", "", "session closed for user news");
        assertThat(news).isNotEqualTo(cyrus);
        String root = log("auth", T0 + 2, "INFO", "", "session closed for user root");
        assertThat(root).isEqualTo(cyrus);
        assertThat(stage.resolve(news)).isEqualTo(cyrus);
        assertThat(stage.find(cyrus).text()).isEqualTo("session closed for user <*>");
        stage.onTick(T0 + 3);
        LogTemplateStage.TemplateView view = stage.views().get("auth").templates.get(cyrus);
        assertThat(view.count()).isEqualTo(3); // the folded template's line counts under the survivor
        assertThat(stage.views().get("auth").templates).doesNotContainKey(news);
    }

    @Test
    void aMinedAndAnExactTemplateWithTheSameTextHaveDifferentIds() {
        String exact = log("a", T0, "INFO", "disk {} full", "disk sda full");
        String mined = log("a", T0, "INFO", "", "disk <*> full");
        assertThat(mined).isNotEqualTo(exact);
    }

    /** A deterministic journal: two services, mined and exact lines, an error burst. */
    private static List<LogEntry> journal() {
        List<LogEntry> out = new ArrayList<>();
        for (int m = 0; m < 25; m++) {
            long t = T0 + m * MIN;
            for (int i = 0; i < 8; i++) {
                out.add(entry("web", t + i * 1000, "INFO", "", "GET /api/items/" + (m * 8 + i) + " answered 200 in "
                        + (3 + i) + " ms"));
                out.add(entry("db", t + i * 1000 + 500, "DEBUG", "Query {} took {} ms", "Query q" + i + " took 4 ms"));
            }
            if (m == 12) {
                out.add(entry("web", t + 9000, "ERROR", "", "Upstream inventory refused connection on port 8443"));
            }
            if (m == 20) {
                for (int i = 0; i < 40; i++) {
                    out.add(entry("web", t + 10_000 + i, "ERROR", "", "Timeout calling pricing after 2000 ms"));
                }
            }
        }
        return out;
    }

    private static List<String> replay(List<LogEntry> journal, Context context) {
        LogTemplateStage s = started(LogTemplateStage.Config.of(1000, MIN, 10 * MIN, 100_000), context);
        List<String> ids = new ArrayList<>();
        long lastTick = Long.MIN_VALUE;
        for (LogEntry e : journal) {
            long t = e.timeNanos() / 1_000_000L;
            if (t - lastTick >= 1000) {
                s.onTick(t);
                lastTick = t;
            }
            s.onLog(e);
            ids.add(s.templateOf(e).id());
        }
        s.onTick(lastTick + 2 * MIN);
        return ids;
    }

    @Test
    void aReplayOfTheSameJournalGivesTheSameTemplateAndSignalIds() {
        Context first = new Context();
        Context second = new Context();
        List<String> a = replay(journal(), first);
        List<String> b = replay(journal(), second);
        assertThat(a).isEqualTo(b);
        assertThat(first.published).isNotEmpty();
        assertThat(first.published.stream().map(Signal::id).toList())
                .isEqualTo(second.published.stream().map(Signal::id).toList());
        assertThat(first.published).isEqualTo(second.published);
    }

    @Test
    void aNeverSeenTemplateAtErrorLevelAfterTheWarmUpIsASignal() {
        for (int m = 0; m <= 11; m++) {
            log("pay", T0 + m * MIN, "INFO", "", "heartbeat " + m + " ok");
        }
        // at error level during the warm-up: expected, not an anomaly
        log("pay", T0 + 1000, "ERROR", "", "Card processor returned an unreadable answer");
        assertThat(anomalies("new-error-template")).isEmpty();
        // a new template at INFO after the warm-up: not an anomaly either
        log("pay", T0 + 11 * MIN, "INFO", "", "Switched card processor to backup");
        assertThat(anomalies("new-error-template")).isEmpty();

        String id = log("pay", T0 + 11 * MIN + 5, "ERROR", "", "Payment gateway timed out after 30 s");
        List<Signal> found = anomalies("new-error-template");
        assertThat(found).hasSize(1);
        Signal s = found.get(0);
        assertThat(s.service()).isEqualTo("pay");
        assertThat(s.subject()).isEqualTo(id);
        assertThat(s.labels()).containsEntry("template", id)
                .containsEntry("templateText", "Payment gateway timed out after <*> s")
                .containsEntry("service", "pay");
        assertThat(s.severity()).isEqualTo(Severity.WARNING);
        assertThat(s.score()).isBetween(0.5, 1.0);
        assertThat(s.open()).isTrue();
        assertThat(s.id()).isEqualTo("log:new-error-template:pay:" + id + "@" + (T0 + 11 * MIN + 5));
        assertThat(s.summary()).contains("pay", "never seen", "Payment gateway timed out");
        assertThat(context.signals.get(s.id())).isEqualTo(s);

        // closed once a window has passed
        stage.onTick(T0 + 13 * MIN);
        assertThat(context.signals.get(s.id()).open()).isFalse();
        // the same template again is not new
        log("pay", T0 + 13 * MIN, "ERROR", "", "Payment gateway timed out after 31 s");
        assertThat(anomalies("new-error-template")).hasSize(1);
    }

    @Test
    void aTemplateWhoseRateSpikesIsASignal() {
        for (int m = 0; m < 15; m++) {
            for (int i = 0; i < 5; i++) {
                log("cache", T0 + m * MIN + i * 1000, "INFO", "Cache miss for key {}", "Cache miss for key k" + i);
            }
        }
        assertThat(anomalies("rate-spike")).isEmpty();
        String id = null;
        for (int i = 0; i < 200; i++) {
            id = log("cache", T0 + 15 * MIN + i * 100, "INFO", "Cache miss for key {}", "Cache miss for key k" + i);
        }
        stage.onTick(T0 + 16 * MIN);
        List<Signal> found = anomalies("rate-spike");
        assertThat(found).hasSize(1);
        Signal s = found.get(0);
        assertThat(s.labels()).containsEntry("template", id).containsEntry("templateText", "Cache miss for key <*>");
        assertThat(s.observed()).isEqualTo(200.0);
        assertThat(s.expectedHigh()).isEqualTo(5.0);
        assertThat(s.startMillis()).isEqualTo(T0 + 15 * MIN);
        assertThat(s.summary()).contains("200 times");
    }

    @Test
    void aSteadyTemplateThatStopsIsASignal() {
        String steady = null;
        for (int m = 0; m < 15; m++) {
            for (int i = 0; i < 20; i++) {
                steady = log("jobs", T0 + m * MIN + i * 1000, "INFO", "", "Polled queue jobs: 0 messages");
            }
            log("jobs", T0 + m * MIN + 30_000, "INFO", "", "Worker pool size 8");
        }
        log("jobs", T0 + 15 * MIN + 30_000, "INFO", "", "Worker pool size 8");
        stage.onTick(T0 + 16 * MIN);
        List<Signal> found = anomalies("rate-vanished");
        assertThat(found).hasSize(1);
        assertThat(found.get(0).labels()).containsEntry("template", steady);
        assertThat(found.get(0).observed()).isZero();
        assertThat(found.get(0).summary()).contains("stopped logging");
        // silent for longer: reported once
        stage.onTick(T0 + 20 * MIN);
        assertThat(anomalies("rate-vanished")).hasSize(1);
    }

    @Test
    void aBurstOfErrorsIsASignalNamingTheTopTemplate() {
        for (int m = 0; m < 15; m++) {
            log("api", T0 + m * MIN, "ERROR", "", "Request 17 failed with status 503");
            log("api", T0 + m * MIN + 1, "INFO", "", "Request 17 answered in 5 ms");
        }
        String top = null;
        for (int i = 0; i < 30; i++) {
            top = log("api", T0 + 15 * MIN + i, "ERROR", "", "Request " + i + " failed with status 503");
            log("api", T0 + 15 * MIN + 100 + i, "ERROR", "", "Database pool exhausted after " + i + " ms");
        }
        stage.onTick(T0 + 16 * MIN);
        List<Signal> found = anomalies("error-burst");
        assertThat(found).hasSize(1);
        Signal s = found.get(0);
        assertThat(s.observed()).isEqualTo(60.0);
        assertThat(s.labels()).containsEntry("template", top).containsEntry("service", "api");
        assertThat(s.source()).isEqualTo("error-burst");
        assertThat(s.summary()).contains("60 error lines");
    }

    @Test
    void templatesBeyondTheLimitAreRefusedAndCounted() {
        LogTemplateStage small = started(LogTemplateStage.Config.of(2, MIN, 10 * MIN, 100), new Context());
        LogEntry a = entry("s", T0, "INFO", "A {}", "A 1");
        LogEntry b = entry("s", T0, "INFO", "B {}", "B 1");
        LogEntry c = entry("s", T0, "INFO", "C {}", "C 1");
        LogEntry a2 = entry("s", T0, "INFO", "A {}", "A 2");
        small.onLog(a);
        small.onLog(b);
        small.onLog(c);
        small.onLog(a2);
        assertThat(small.templateOf(c)).isNull();
        assertThat(small.templateOf(a2).id()).isEqualTo(small.templateOf(a).id());
        assertThat(small.templatesRefused()).isEqualTo(1);
        assertThat(small.templates()).isEqualTo(2);
    }

    @Test
    void theRecordIndexForgetsTheOldestRecords() {
        LogTemplateStage small = started(LogTemplateStage.Config.of(100, MIN, 10 * MIN, 3), new Context());
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            LogEntry e = entry("s", T0 + i, "INFO", "Step {}", "Step " + i);
            entries.add(e);
            small.onLog(e);
        }
        assertThat(small.templateOf(entries.get(0))).isNull();
        assertThat(small.templateOf(entries.get(1))).isNull();
        assertThat(small.templateOf(entries.get(4))).isNotNull();
        // two equal records are two records
        LogEntry twin = entry("s", T0 + 4, "INFO", "Step {}", "Step 4");
        assertThat(twin).isEqualTo(entries.get(4));
        assertThat(small.templateOf(twin)).isNull();
    }
}
