package io.sextant.bench.logparse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Smoke run of the harness on a two-dataset folder of the Loghub layout. */
class LogParseHarnessTest {

    @Test
    void writesStructuredCsvsAndASummaryWithEveryHeadlineKey(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        dataset(data, "Apache",
                List.of("[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties",
                        "[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6",
                        "[Sun Dec 04 04:51:08 2005] [error] mod_jk child workerEnv in error state 7"),
                List.of("E2,workerEnv.init() ok <*>", "E3,mod_jk child workerEnv in error state <*>",
                        "E3,mod_jk child workerEnv in error state <*>"),
                "Time,Level,Content", List.of("\"Sun Dec 04 04:47:44 2005\",notice,x", "t,error,x", "t,error,x"));
        // no standard format for this name: the whole line is the message
        dataset(data, "Custom", List.of("disk sda1 full", "disk sda7 full", "fan stopped"),
                List.of("E1,disk <*> full", "E1,disk <*> full", "E2,fan stopped"), "Content",
                List.of("disk sda1 full", "disk sda7 full", "fan stopped"));
        Path out = tmp.resolve("out");
        Path summary = tmp.resolve("logparse.json");

        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            LogParseHarness.main(new String[] {"--data", data.toString(), "--out", out.toString(), "--quick",
                    "--summary", summary.toString()});
        } finally {
            System.setOut(stdout);
        }

        JsonNode printed = new ObjectMapper().readTree(captured.toString(StandardCharsets.UTF_8));
        JsonNode written = new ObjectMapper().readTree(summary.toFile());
        assertThat(printed).isEqualTo(written);
        assertThat(written.get("harness").asText()).isEqualTo("logparse");
        JsonNode results = written.get("results");
        for (String key : List.of("GA", "PA", "FGA", "FTA")) {
            assertThat(results.get("average").get(key).isNumber()).isTrue();
            assertThat(results.get("Apache").get(key).asDouble()).isEqualTo(1.0);
            assertThat(results.get("Custom").get(key).asDouble()).isEqualTo(1.0);
        }
        assertThat(results.get("lines_per_s").asDouble()).isPositive();
        assertThat(results.get("original_ground_truth").get("average").get("GA").asDouble()).isEqualTo(1.0);
        assertThat(Files.readAllLines(out.resolve("Apache_2k.log_structured.csv")))
                .hasSize(4)
                .first().asString().contains("LineId").contains("EventId").contains("EventTemplate");
        assertThat(Files.readAllLines(out.resolve("Custom_2k.log_structured.csv")).get(1))
                .startsWith("1,").endsWith(",disk <*> full");
    }

    private static void dataset(Path data, String name, List<String> lines, List<String> events, String header,
                                List<String> headerValues) throws Exception {
        Path dir = Files.createDirectories(data.resolve(name));
        Files.write(dir.resolve(name + "_2k.log"), lines, StandardCharsets.UTF_8);
        StringBuilder csv = new StringBuilder("LineId," + header + ",EventId,EventTemplate\n");
        for (int i = 0; i < lines.size(); i++) {
            csv.append(i + 1).append(',').append(headerValues.get(i)).append(',').append(events.get(i)).append('\n');
        }
        Files.writeString(dir.resolve(name + "_2k.log_structured.csv"), csv, StandardCharsets.UTF_8);
    }
}
