package io.sextant.collector.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Walks the chain and names the first record that was changed, removed, inserted or reordered.
 *
 * <p>At record {@code i} it expects {@code seq == i}, a stored hash equal to the SHA-256 of the record's
 * canonical bytes, and {@code prevHash} equal to the hash of record {@code i - 1}. At the first record
 * that fails it decides, in this order:
 * <ol>
 *   <li>INSERTED at i, if skipping record i gives an intact chain (record i+1 has seq i and links to
 *       record i-1, and record i+2 links to record i+1);</li>
 *   <li>INSERTED at i-1, if record i has seq i-1 and links to record i-2 (a forged record with a
 *       correct seq, link and hash was put before it);</li>
 *   <li>REORDERED at i, if the record with seq i appears later in the file (or seq went backwards);</li>
 *   <li>REMOVED at i, if seq jumped forward and the missing records appear nowhere;</li>
 *   <li>CHANGED at i, if record i's own hash does not match its bytes;</li>
 *   <li>CHANGED at i-1, if record i is intact but does not link to record i-1 (record i-1 was changed and
 *       its own hash recomputed).</li>
 * </ol>
 * After the last record, the head file must name the same seq and hash; a head further ahead means
 * records were removed from the end. Reads the whole file into memory (audit journals are small: tens of
 * bytes per registry change).
 */
final class AuditVerifier {

    private AuditVerifier() {
    }

    static VerifyResult verify(Path dir) throws IOException {
        Path log = dir.resolve(AuditJournal.LOG_FILE);
        if (!Files.exists(log)) {
            return new VerifyResult(VerifyResult.Problem.NONE, 0, 0, 0, "no audit journal: nothing to verify");
        }
        AuditJournal.Scan scan;
        long size;
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ)) {
            scan = AuditJournal.scan(ch);
            size = ch.size();
        }
        List<AuditCodec.Parsed> r = scan.frames;
        int n = r.size();
        for (int i = 0; i < n; i++) {
            AuditRecord rec = r.get(i).record();
            byte[] expectedPrev = i == 0 ? AuditJournal.GENESIS : recomputed(r.get(i - 1));
            boolean selfOk = r.get(i).hashOk();
            boolean linkOk = Arrays.equals(rec.prevHash(), expectedPrev);
            boolean seqOk = rec.seq() == i;
            if (selfOk && linkOk && seqOk) {
                continue;
            }
            if (i + 1 < n) {
                AuditCodec.Parsed next = r.get(i + 1);
                if (next.hashOk() && next.record().seq() == i && Arrays.equals(next.record().prevHash(), expectedPrev)) {
                    boolean continues = i + 2 < n
                        ? Arrays.equals(r.get(i + 2).record().prevHash(), next.record().hash())
                        : rec.seq() != i + 1;
                    if (continues) {
                        return problem(VerifyResult.Problem.INSERTED, i, rec.seq(), n,
                            "record at position " + i + " (seq " + rec.seq() + ") was inserted: the chain continues without it");
                    }
                }
            }
            if (i >= 1 && selfOk && rec.seq() == i - 1) {
                byte[] beforePrevious = i >= 2 ? recomputed(r.get(i - 2)) : AuditJournal.GENESIS;
                if (Arrays.equals(rec.prevHash(), beforePrevious)) {
                    return problem(VerifyResult.Problem.INSERTED, i - 1, r.get(i - 1).record().seq(), n,
                        "record at position " + (i - 1) + " was inserted: record seq " + rec.seq()
                            + " links to the record before it");
                }
            }
            if (!seqOk) {
                for (int j = i + 1; j < n; j++) {
                    if (r.get(j).record().seq() == i) {
                        return problem(VerifyResult.Problem.REORDERED, i, i, n,
                            "record seq " + i + " is at position " + j + ", expected at " + i + " (found seq "
                                + rec.seq() + " there)");
                    }
                }
                if (rec.seq() > i) {
                    return problem(VerifyResult.Problem.REMOVED, i, i, n,
                        "records seq " + i + " to " + (rec.seq() - 1) + " were removed before position " + i);
                }
                return problem(VerifyResult.Problem.REORDERED, i, rec.seq(), n,
                    "record at position " + i + " has seq " + rec.seq() + ", which belongs earlier");
            }
            if (!selfOk) {
                return problem(VerifyResult.Problem.CHANGED, i, rec.seq(), n,
                    "record seq " + rec.seq() + " was changed: its bytes do not match its hash");
            }
            return problem(VerifyResult.Problem.CHANGED, i - 1, i - 1, n,
                "record seq " + (i - 1) + " was changed (its hash recomputed): record seq " + i + " does not link to it");
        }
        if (scan.error != null) {
            return problem(VerifyResult.Problem.CORRUPT, n, n, n, scan.error + " (file is " + size + " bytes)");
        }
        return checkHead(dir, r, n);
    }

    private static VerifyResult checkHead(Path dir, List<AuditCodec.Parsed> r, int n) throws IOException {
        Path headFile = dir.resolve(AuditJournal.HEAD_FILE);
        if (!Files.exists(headFile)) {
            return n == 0
                ? problem(VerifyResult.Problem.NONE, 0, 0, 0, "empty journal")
                : problem(VerifyResult.Problem.HEAD_MISMATCH, n, n, n, "head file is missing");
        }
        String[] head = Files.readString(headFile, StandardCharsets.US_ASCII).trim().split(" ");
        long headSeq;
        try {
            headSeq = Long.parseLong(head[0]);
        } catch (NumberFormatException e) {
            return problem(VerifyResult.Problem.HEAD_MISMATCH, n, n, n, "head file is unreadable");
        }
        long lastSeq = n - 1;
        String lastHash = n == 0 ? HexFormat.of().formatHex(AuditJournal.GENESIS)
            : HexFormat.of().formatHex(r.get(n - 1).record().hash());
        if (headSeq > lastSeq) {
            return problem(VerifyResult.Problem.REMOVED, n, n, n,
                "records seq " + n + " to " + headSeq + " were removed from the end (head names seq " + headSeq + ")");
        }
        if (headSeq != lastSeq || head.length < 2 || !head[1].equals(lastHash)) {
            return problem(VerifyResult.Problem.HEAD_MISMATCH, n, lastSeq, n,
                "head names seq " + headSeq + " hash " + (head.length > 1 ? head[1] : "?") + ", last record is seq "
                    + lastSeq + " hash " + lastHash);
        }
        return problem(VerifyResult.Problem.NONE, n, lastSeq, n, n + " records, chain intact, head " + lastHash);
    }

    private static byte[] recomputed(AuditCodec.Parsed p) {
        if (p.hashOk()) {
            return p.record().hash();
        }
        AuditRecord r = p.record();
        return AuditCodec.sha256(AuditCodec.canonical(r.seq(), r.timestampMs(), r.type(), r.actor(), r.body(), r.prevHash()));
    }

    private static VerifyResult problem(VerifyResult.Problem kind, long position, long seq, long records, String message) {
        return new VerifyResult(kind, position, seq, records, message);
    }
}
