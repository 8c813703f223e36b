package io.sextant.collector.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditJournalTest {

    @TempDir
    Path dir;

    @BeforeEach
    void writeTenRecords() throws Exception {
        try (AuditJournal j = AuditJournal.open(dir, true)) {
            for (int i = 0; i < 10; i++) {
                j.append("model.registered", "alice", Map.of("model", "fraud", "version", String.valueOf(i),
                    "params", Map.of("depth", i, "alpha", 0.5)), 1_700_000_000_000L + i);
            }
        }
    }

    private Path log() {
        return dir.resolve(AuditJournal.LOG_FILE);
    }

    private List<byte[]> frames() throws Exception {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(log()));
        List<byte[]> out = new ArrayList<>();
        while (buf.hasRemaining()) {
            int n = buf.getInt(buf.position());
            byte[] f = new byte[4 + n];
            buf.get(f);
            out.add(f);
        }
        return out;
    }

    private void writeFrames(List<byte[]> frames) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            out.write(f);
        }
        Files.write(log(), out.toByteArray());
    }

    private static byte[] frame(long seq, long ts, String body, byte[] prev) {
        byte[] canonical = AuditCodec.canonical(seq, ts, "model.registered", "mallory", body, prev);
        byte[] hash = AuditCodec.sha256(canonical);
        return ByteBuffer.allocate(4 + canonical.length + 32).putInt(canonical.length + 32).put(canonical).put(hash).array();
    }

    private static byte[] hashOf(byte[] frame) {
        byte[] h = new byte[32];
        System.arraycopy(frame, frame.length - 32, h, 0, 32);
        return h;
    }

    @Test
    void intactJournalVerifiesAndChainsHashes() throws Exception {
        VerifyResult r = AuditJournal.verify(dir);
        assertThat(r.intact()).as(r.message()).isTrue();
        assertThat(r.records()).isEqualTo(10);
        List<AuditRecord> records = AuditJournal.readAll(dir);
        assertThat(records.get(0).prevHashHex()).isEqualTo("0".repeat(64));
        for (int i = 1; i < 10; i++) {
            assertThat(records.get(i).prevHash()).isEqualTo(records.get(i - 1).hash());
        }
        assertThat(records.get(3).body()).isEqualTo("{\"model\":\"fraud\",\"params\":{\"alpha\":0.5,\"depth\":3},\"version\":\"3\"}");
    }

    @Test
    void readsAPageFromASequenceNumber() throws Exception {
        List<AuditRecord> page = AuditJournal.read(dir, 3, 4);
        assertThat(page).extracting(AuditRecord::seq).containsExactly(3L, 4L, 5L, 6L);
        assertThat(AuditJournal.read(dir, 8, 10)).extracting(AuditRecord::seq).containsExactly(8L, 9L);
        assertThat(AuditJournal.read(dir, 0, 0)).isEmpty();
    }

    @Test
    void reopeningContinuesTheChain() throws Exception {
        try (AuditJournal j = AuditJournal.open(dir, false)) {
            assertThat(j.nextSeq()).isEqualTo(10);
            AuditRecord r = j.append("alias.set", "bob", Map.of("alias", "production"), 1L);
            assertThat(r.seq()).isEqualTo(10);
        }
        assertThat(AuditJournal.verify(dir).intact()).isTrue();
    }

    @Test
    void changedBytesAreReportedAtThatRecord() throws Exception {
        List<byte[]> f = frames();
        byte[] four = f.get(4);
        String text = new String(four, StandardCharsets.ISO_8859_1).replace("alice", "eve!!");
        f.set(4, text.getBytes(StandardCharsets.ISO_8859_1));
        writeFrames(f);
        VerifyResult r = AuditJournal.verify(dir);
        assertThat(r.problem()).isEqualTo(VerifyResult.Problem.CHANGED);
        assertThat(r.position()).isEqualTo(4);
    }

    @Test
    void changedRecordWithRecomputedHashIsCaughtByTheNextLink() throws Exception {
        List<byte[]> f = frames();
        AuditRecord orig = AuditJournal.readAll(dir).get(4);
        f.set(4, frame(4, orig.timestampMs(), "{\"model\":\"fraud\",\"version\":\"forged\"}", orig.prevHash()));
        writeFrames(f);
        VerifyResult r = AuditJournal.verify(dir);
        assertThat(r.problem()).isEqualTo(VerifyResult.Problem.CHANGED);
        assertThat(r.position()).isEqualTo(4);
    }

    @Test
    void removedRecordIsReported() throws Exception {
        List<byte[]> f = frames();
        f.remove(4);
        writeFrames(f);
        VerifyResult r = AuditJournal.verify(dir);
        assertThat(r.problem()).isEqualTo(VerifyResult.Problem.REMOVED);
        assertThat(r.position()).isEqualTo(4);
        assertThat(r.seq()).isEqualTo(4);
    }

    @Test
    void removedLastRecordIsCaughtByTheHead() throws Exception {
        List<byte[]> f = frames();
        f.remove(9);
        writeFrames(f);
        VerifyResult r = AuditJournal.verify(dir);
        assertThat(r.problem()).isEqualTo(VerifyResult.Problem.REMOVED);
        assertThat(r.position()).isEqualTo(9);
    }

    @Test
    void insertedCopyOfAnEarlierRecordIsReported() throws Exception {
        List<byte[]> f = frames();
        f.add(4, f.get(2).clone());
        writeFrames(f);
        VerifyResult r = AuditJournal.verify(dir);
        assertThat(r.problem()).isEqualTo(VerifyResult.Problem.INSERTED);
        assertThat(r.position()).isEqualTo(4);
    }

    @Test
    void insertedForgedRecordWithValidLinkAndHashIsReported() throws Exception {
        List<byte[]> f = frames();
        f.add(4, frame(4, 1L, "{\"model\":\"fraud\",\"version\":\"backdoor\"}", hashOf(f.get(3))));
        writeFrames(f);
        VerifyResult r = AuditJournal.verify(dir);
        assertThat(r.problem()).isEqualTo(VerifyResult.Problem.INSERTED);
        assertThat(r.position()).isEqualTo(4);
    }

    @Test
    void swappedRecordsAreReportedAsReordered() throws Exception {
        List<byte[]> f = frames();
        Collections.swap(f, 4, 5);
        writeFrames(f);
        VerifyResult r = AuditJournal.verify(dir);
        assertThat(r.problem()).isEqualTo(VerifyResult.Problem.REORDERED);
        assertThat(r.position()).isEqualTo(4);
    }

    @Test
    void recordMovedFarAwayIsReportedAsReordered() throws Exception {
        List<byte[]> f = frames();
        byte[] two = f.remove(2);
        f.add(7, two);
        writeFrames(f);
        VerifyResult r = AuditJournal.verify(dir);
        assertThat(r.problem()).isEqualTo(VerifyResult.Problem.REORDERED);
        assertThat(r.position()).isEqualTo(2);
    }

    @Test
    void tornTailIsCutOnOpenAndCounted() throws Exception {
        byte[] bytes = Files.readAllBytes(log());
        byte[] torn = new byte[bytes.length + 10];
        System.arraycopy(bytes, 0, torn, 0, bytes.length);
        torn[bytes.length + 3] = 100; // a length prefix of 100 followed by 6 bytes: an interrupted write
        Files.write(log(), torn);
        assertThat(AuditJournal.verify(dir).problem()).isEqualTo(VerifyResult.Problem.CORRUPT);
        try (AuditJournal j = AuditJournal.open(dir, false)) {
            assertThat(j.tornBytesDropped()).isEqualTo(10);
            assertThat(j.nextSeq()).isEqualTo(10);
        }
        assertThat(AuditJournal.verify(dir).intact()).isTrue();
    }
}
