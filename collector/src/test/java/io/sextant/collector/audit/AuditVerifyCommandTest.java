package io.sextant.collector.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditVerifyCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int verify(String... args) {
        return AuditVerifyCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void exitCodesFollowTheJournalState() throws Exception {
        String anchor;
        try (AuditJournal j = AuditJournal.open(dir, false)) {
            j.append("config.changed", "ops", Map.of("key", "a"), 1);
            anchor = j.append("config.changed", "ops", Map.of("key", "b"), 2).hashHex();
            j.append("config.changed", "ops", Map.of("key", "c"), 3);
        }
        assertThat(verify("--dir", dir.toString(), "--anchor", anchor)).isEqualTo(AuditVerifyCommand.INTACT);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("OK 3 records");
        assertThat(verify("--dir", dir.toString(), "--anchor", "ab".repeat(32))).isEqualTo(AuditVerifyCommand.TAMPERED);
        byte[] bytes = Files.readAllBytes(dir.resolve(AuditJournal.LOG_FILE));
        bytes[bytes.length - 40] ^= 1;
        Files.write(dir.resolve(AuditJournal.LOG_FILE), bytes);
        assertThat(verify("--dir", dir.toString())).isEqualTo(AuditVerifyCommand.TAMPERED);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("TAMPERED CHANGED at position 2");
        assertThat(verify("--directory", "x")).isEqualTo(AuditVerifyCommand.USAGE);
    }
}
