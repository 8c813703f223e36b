package io.sextant.collector.mlops.gate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sextant.collector.audit.AuditJournal;
import io.sextant.collector.mlops.registry.ModelRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateCommandTest {

    static final String EVIDENCE = """
        {"model": "fraud", "aliases": {"production": "1"},
         "versions": {
           "1": {"metrics": {"accuracy": 0.90, "log_loss": 0.30}, "latency_p99_ms": 20.0, "drift_share": 0.0},
           "2": {"metrics": {"accuracy": 0.905, "log_loss": 0.29}, "latency_p99_ms": 21.0, "drift_share": 0.0},
           "3": {"metrics": {"accuracy": 0.80, "log_loss": 0.45}, "latency_p99_ms": 20.0, "drift_share": 0.75,
                 "drifted_features": ["amount", "country", "device"]}}}
        """;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int gate(String candidate, String... extra) throws Exception {
        Path rules = dir.resolve("rules.json");
        Path evidence = dir.resolve("evidence.json");
        Files.writeString(rules, GateEvaluatorTest.RULES);
        Files.writeString(evidence, EVIDENCE);
        String[] base = {"--model", "fraud", "--candidate", candidate, "--baseline", "production", "--rules",
            rules.toString(), "--evidence", evidence.toString(), "--json", dir.resolve("gate.json").toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return GateCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void goodCandidateExitsZeroAndWritesJson() throws Exception {
        assertThat(gate("2")).isEqualTo(GateCommand.PASS);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("gate PASSED");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("gate.json").toFile());
        assertThat(json.get("passed").asBoolean()).isTrue();
        assertThat(json.get("baselineVersion").asText()).isEqualTo("1");
        assertThat(json.get("checks").size()).isGreaterThan(5);
    }

    @Test
    void worseCandidateExitsOne() throws Exception {
        assertThat(gate("3")).isEqualTo(GateCommand.FAIL);
        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(report).contains("gate FAILED").contains("FAIL    accuracy").contains("drift")
            .contains("accuracy = 0.8, must be >= 0.85");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("gate.json").toFile());
        JsonNode drift = json.get("checks").get(json.get("checks").size() - 2);
        assertThat(drift.get("subject").asText()).isEqualTo("drift");
        assertThat(drift.get("baseline").isNull()).isTrue();
    }

    @Test
    void unusableArgumentsExitTwo() throws Exception {
        assertThat(GateCommand.run(new String[] {"--model", "fraud"}, new PrintStream(out), new PrintStream(err)))
            .isEqualTo(GateCommand.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing --candidate");
        assertThat(gate("2", "--rule", "x")).isEqualTo(GateCommand.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option '--rule'");
    }

    @Test
    void registryAliasWinsOverTheEvidenceFile() throws Exception {
        Path audit = dir.resolve("audit");
        try (AuditJournal journal = AuditJournal.open(audit, false)) {
            ModelRegistry r = ModelRegistry.open(audit, journal, () -> 1L);
            r.registerVersion("fraud", "1", null, null, Map.of(), Map.of(), "sha256:a", "ci");
            r.registerVersion("fraud", "3", null, null, Map.of(), Map.of(), "sha256:c", "ci");
            r.deploy("fraud", "3", "production", "ci", "bad idea");
        }
        // Against itself (production = 3 in the registry), version 3 shows no regression, but still fails
        // the absolute bounds and the drift rule.
        assertThat(gate("3", "--registry", audit.toString())).isEqualTo(GateCommand.FAIL);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("gate.json").toFile());
        assertThat(json.get("baselineVersion").asText()).isEqualTo("3");
    }
}
