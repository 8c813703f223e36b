package io.sextant.bench.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftHarnessTest {

    @Test
    void quickRunWritesAWellFormedSummaryWithTheHeadlineKeys(@TempDir Path out) throws Exception {
        DriftHarness.main(new String[] {"--quick", "--out", out.toString()});
        JsonNode root = new ObjectMapper().readTree(Files.readString(out.resolve("drift.json")));
        assertThat(root.get("harness").asText()).isEqualTo("drift");
        JsonNode results = root.get("results");
        assertThat(results.get("detection_delay_windows").isNumber()).isTrue();
        assertThat(results.get("false_alarm_rate").isNumber()).isTrue();
        // A 0.5 sigma shift against a 10 000-value profile with windows of 1000 is caught in the first window.
        assertThat(results.get("detection_delay_windows").asDouble()).isLessThanOrEqualTo(2.0);
        assertThat(results.get("false_alarm_rate").asDouble()).isLessThanOrEqualTo(0.01);
    }

    @Test
    void undefinedFiguresBecomeNull() {
        com.fasterxml.jackson.databind.node.ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("a", Double.NaN);
        n.putObject("b").put("c", 1.5);
        DriftHarness.nanToNull(n);
        assertThat(n.get("a").isNull()).isTrue();
        assertThat(n.get("b").get("c").asDouble()).isEqualTo(1.5);
    }
}
