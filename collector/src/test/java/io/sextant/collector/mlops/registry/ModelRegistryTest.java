package io.sextant.collector.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.collector.audit.AuditJournal;
import io.sextant.collector.audit.AuditRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_000);

    private ModelRegistry populated(AuditJournal journal) throws Exception {
        ModelRegistry r = ModelRegistry.open(dir, journal, clock::incrementAndGet);
        r.registerDataset("transactions-2026-10", "ab12", "October transactions", "alice");
        r.registerVersion("fraud", "1", "transactions-2026-10", "ab12", Map.of("depth", "6"),
            Map.of("accuracy", 0.91), "sha256:aaa", "alice");
        r.registerVersion("fraud", "2", "transactions-2026-10", null, Map.of("depth", "8"),
            Map.of("accuracy", 0.93), "sha256:bbb", "alice");
        r.deploy("fraud", "1", "production", "alice", "first release");
        r.deploy("fraud", "2", "candidate", "bob", "canary");
        r.promote("fraud", "candidate", "production", "bob", "canary looked good");
        return r;
    }

    @Test
    void deployPromoteAndRollbackMoveAliasesAndKeepHistory() throws Exception {
        try (AuditJournal journal = AuditJournal.open(dir, false)) {
            ModelRegistry r = populated(journal);
            assertThat(r.alias("fraud", "production")).contains("2");
            AliasChange back = r.rollback("fraud", "production", "carol", "error rate up");
            assertThat(back.fromVersion()).isEqualTo("2");
            assertThat(back.toVersion()).isEqualTo("1");
            assertThat(r.alias("fraud", "production")).contains("1");
            assertThatThrownBy(() -> r.rollback("fraud", "production", "carol", "again"))
                .isInstanceOf(RegistryException.class);
            assertThat(r.aliasHistory("fraud", "production")).extracting(AliasChange::operation)
                .containsExactly("deploy", "promote", "rollback");
            assertThat(r.resolve("fraud", "candidate")).contains("2");
            assertThat(r.version("fraud", "2").orElseThrow().datasetHash()).isEqualTo("ab12");
        }
    }

    @Test
    void rollbackToANamedEarlierVersionSkipsTheOnesBetween() throws Exception {
        try (AuditJournal journal = AuditJournal.open(dir, false)) {
            ModelRegistry r = populated(journal);
            r.registerVersion("fraud", "3", null, null, null, null, "sha256:ccc", "alice");
            r.promoteVersion("fraud", "3", "production", "bob", "hotfix");
            assertThatThrownBy(() -> r.rollbackTo("fraud", "production", "7", "carol", ""))
                .isInstanceOf(RegistryException.class);
            r.rollbackTo("fraud", "production", "1", "carol", "back to the last known good");
            assertThat(r.alias("fraud", "production")).contains("1");
            assertThatThrownBy(() -> r.rollback("fraud", "production", "carol", ""))
                .isInstanceOf(RegistryException.class);
        }
        try (AuditJournal journal = AuditJournal.open(dir, false)) {
            ModelRegistry again = ModelRegistry.open(dir, journal, clock::incrementAndGet);
            assertThat(again.alias("fraud", "production")).contains("1");
            assertThatThrownBy(() -> again.rollback("fraud", "production", "carol", ""))
                .isInstanceOf(RegistryException.class);
        }
    }

    @Test
    void stateIsRebuiltFromTheAuditJournal() throws Exception {
        try (AuditJournal journal = AuditJournal.open(dir, false)) {
            populated(journal).rollback("fraud", "production", "carol", "error rate up");
            journal.append("config.changed", "ops", Map.of("key", "sextant.collector.http-port"), 5);
        }
        try (AuditJournal journal = AuditJournal.open(dir, false)) {
            ModelRegistry r = ModelRegistry.open(dir, journal, clock::incrementAndGet);
            assertThat(r.alias("fraud", "production")).contains("1");
            assertThat(r.versions("fraud")).extracting(ModelVersion::version).containsExactly("1", "2");
            assertThat(r.version("fraud", "1").orElseThrow().trainingMetrics()).containsEntry("accuracy", 0.91);
            assertThat(r.aliasHistory("fraud", "production")).hasSize(3);
            assertThat(r.dataset("transactions-2026-10").orElseThrow().contentHash()).isEqualTo("ab12");
        }
        assertThat(AuditJournal.verify(dir).intact()).isTrue();
    }

    @Test
    void everyChangeIsAnAuditRecord() throws Exception {
        try (AuditJournal journal = AuditJournal.open(dir, false)) {
            populated(journal);
        }
        List<AuditRecord> records = AuditJournal.readAll(dir);
        assertThat(records).extracting(AuditRecord::type).containsExactly(ModelRegistry.DATASET_REGISTERED,
            ModelRegistry.VERSION_REGISTERED, ModelRegistry.VERSION_REGISTERED, ModelRegistry.ALIAS_SET,
            ModelRegistry.ALIAS_SET, ModelRegistry.ALIAS_SET);
        assertThat(records.get(5).actor()).isEqualTo("bob");
        assertThat(records.get(5).body()).contains("\"operation\":\"promote\"");
    }

    @Test
    void repeatedIdenticalRegistrationsAndDeploysAppendNothing() throws Exception {
        try (AuditJournal journal = AuditJournal.open(dir, false)) {
            ModelRegistry r = populated(journal);
            long before = journal.nextSeq();
            r.registerVersion("fraud", "1", "transactions-2026-10", "ab12", Map.of("depth", "6"),
                Map.of("accuracy", 0.91), "sha256:aaa", "agent");
            r.registerDataset("transactions-2026-10", "ab12", "again", "agent");
            r.deploy("fraud", "2", "production", "agent", "restart");
            assertThat(journal.nextSeq()).isEqualTo(before);
            assertThat(r.aliasHistory("fraud", "production")).hasSize(2);
        }
    }

    @Test
    void refusesInconsistentRegistrations() throws Exception {
        try (AuditJournal journal = AuditJournal.open(dir, false)) {
            ModelRegistry r = populated(journal);
            long before = journal.nextSeq();
            assertThatThrownBy(() -> r.registerDataset("transactions-2026-10", "ffff", "", "eve"))
                .isInstanceOf(RegistryException.class);
            assertThatThrownBy(() -> r.registerVersion("fraud", "3", "transactions-2026-10", "ffff", null, null, "x", "eve"))
                .isInstanceOf(RegistryException.class);
            assertThatThrownBy(() -> r.registerVersion("fraud", "3", "nope", null, null, null, "x", "eve"))
                .isInstanceOf(RegistryException.class);
            assertThatThrownBy(() -> r.registerVersion("fraud", "1", null, null, null, null, "x", "eve"))
                .isInstanceOf(RegistryException.class);
            assertThatThrownBy(() -> r.deploy("fraud", "9", "production", "eve", ""))
                .isInstanceOf(RegistryException.class);
            assertThat(journal.nextSeq()).isEqualTo(before);
        }
    }
}
