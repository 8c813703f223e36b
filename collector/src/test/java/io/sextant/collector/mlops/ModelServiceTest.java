package io.sextant.collector.mlops;

import io.sextant.collector.audit.AuditJournal;
import io.sextant.collector.audit.AuditRecord;
import io.sextant.collector.mlops.feed.ModelEventRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ModelServiceTest {

    @TempDir
    Path data;

    private final AtomicLong clock = new AtomicLong(1_000_000L);

    private static ModelEventRecord event(long seq, long time, String kind, String version, String previous) {
        return new ModelEventRecord("agent-1/77/" + seq, "loan-scoring", "agent-1", time, kind, "loan", version,
            kind.equals("REGISTER") ? "" : "production", previous, kind.equals("REGISTER") ? "loans-1" : "",
            kind.equals("REGISTER") ? "ab12" : "", "", Map.of("algorithm", "logistic"), Map.of("accuracy", 0.9));
    }

    /** Applies events as the analysis would: the collector clock a few ms after each event's time. */
    private void apply(ModelService service, List<ModelEventRecord> events, boolean replaying) {
        for (ModelEventRecord e : events) {
            if (!replaying) {
                clock.set(e.timeMillis() + 5);
            }
            service.agentEvent(e, replaying);
        }
        service.drain();
    }

    private AuditJournal audit;

    private ModelService open() throws Exception {
        if (audit != null) {
            audit.close();
        }
        audit = AuditJournal.open(data.resolve("audit"), false);
        return new ModelService(data, audit, null, clock::get, m -> { }).open();
    }

    @org.junit.jupiter.api.AfterEach
    void closeAudit() throws Exception {
        if (audit != null) {
            audit.close();
        }
    }

    @Test
    void replayingAgentModelEventsAddsNoAuditRecords() throws Exception {
        List<ModelEventRecord> events = new ArrayList<>(List.of(
            event(1, 10_000, "REGISTER", "1.0.0", ""),
            event(2, 11_000, "DEPLOY", "1.0.0", ""),
            event(3, 20_000, "REGISTER", "1.1.0", ""),
            event(4, 21_000, "PROMOTE", "1.1.0", "1.0.0"),
            event(5, 30_000, "ROLLBACK", "1.0.0", "1.1.0"),
            // The agent restarts and announces what it serves: no change, no record.
            event(6, 40_000, "REGISTER", "1.0.0", ""),
            event(7, 40_001, "DEPLOY", "1.0.0", "")));
        ModelService service = open();
        apply(service, events, false);
        List<AuditRecord> first = AuditJournal.readAll(service.auditDir());
        // dataset, 1.0.0, deploy, 1.1.0, promote, rollback
        assertThat(first).extracting(AuditRecord::type).containsExactly("dataset.registered",
            "model.version.registered", "alias.set", "model.version.registered", "alias.set", "alias.set");
        // Then someone promotes 1.1.0 through the API, after the agent's last (no-op) DEPLOY of 1.0.0.
        clock.set(50_000);
        service.call(r -> r.promoteVersion("loan", "1.1.0", "production", "ci", "canary looked fine"));
        service.close();

        clock.set(60_000);
        ModelService restarted = open();
        apply(restarted, events, true);
        List<AuditRecord> after = AuditJournal.readAll(restarted.auditDir());
        assertThat(after).hasSize(first.size() + 1);
        assertThat(restarted.call(r -> r.alias("loan", "production")).orElseThrow()).isEqualTo("1.1.0");
        assertThat(restarted.agentEventCounts().get("applied")).isZero();
        assertThat(AuditJournal.verify(restarted.auditDir()).intact()).isTrue();
        restarted.close();
    }

    @Test
    void remediationRollsAnAliasBackThroughTheRegistryThread() throws Exception {
        ModelService service = open();
        apply(service, List.of(event(1, 10_000, "REGISTER", "1.0.0", ""), event(2, 11_000, "DEPLOY", "1.0.0", ""),
            event(3, 20_000, "REGISTER", "1.1.0", ""), event(4, 21_000, "PROMOTE", "1.1.0", "1.0.0")), false);
        String done = service.rollback("loan", "production", "", "rule:quality-drop", "accuracy fell");
        assertThat(done).isEqualTo("alias production of model loan rolled back from 1.1.0 to 1.0.0 (audit seq 5)");
        assertThat(service.call(r -> r.alias("loan", "production")).orElseThrow()).isEqualTo("1.0.0");
        assertThat(AuditJournal.readAll(service.auditDir()).get(5).actor()).isEqualTo("rule:quality-drop");
        service.close();
    }

    @Test
    void anEventJournaledButNotAppliedBeforeACrashIsAppliedOnReplay() throws Exception {
        ModelService service = open();
        apply(service, List.of(event(1, 10_000, "REGISTER", "1.0.0", ""), event(2, 11_000, "DEPLOY", "1.0.0", ""),
            event(3, 20_000, "REGISTER", "1.1.0", "")), false);
        service.close();
        ModelService restarted = open();
        // The PROMOTE was in the ingest journal but the collector stopped before the registry saw it.
        apply(restarted, List.of(event(1, 10_000, "REGISTER", "1.0.0", ""), event(2, 11_000, "DEPLOY", "1.0.0", ""),
            event(3, 20_000, "REGISTER", "1.1.0", ""), event(4, 21_000, "PROMOTE", "1.1.0", "1.0.0")), true);
        assertThat(restarted.call(r -> r.alias("loan", "production")).orElseThrow()).isEqualTo("1.1.0");
        List<?> history = restarted.call(r -> r.aliasHistory("loan", "production"));
        assertThat(history).hasSize(2);
        restarted.close();
    }
}
