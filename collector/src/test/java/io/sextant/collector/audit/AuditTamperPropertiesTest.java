package io.sextant.collector.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class AuditTamperPropertiesTest {

    @Property(tries = 200)
    void anySingleBitFlipIsDetected(@ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int where,
                                    @ForAll @IntRange(min = 0, max = 7) int bit) throws Exception {
        Path dir = Files.createTempDirectory("audit-prop");
        try {
            try (AuditJournal j = AuditJournal.open(dir, false)) {
                for (int i = 0; i < 5; i++) {
                    j.append("alias.set", "ci", Map.of("alias", "production", "to", String.valueOf(i)), i);
                }
            }
            Path log = dir.resolve(AuditJournal.LOG_FILE);
            byte[] bytes = Files.readAllBytes(log);
            int at = where % bytes.length;
            bytes[at] ^= (byte) (1 << bit);
            Files.write(log, bytes);
            VerifyResult r = AuditJournal.verify(dir);
            assertThat(r.intact()).as("flip of bit %d at byte %d went unnoticed", bit, at).isFalse();
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
