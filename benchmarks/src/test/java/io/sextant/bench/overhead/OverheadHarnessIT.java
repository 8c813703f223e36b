package io.sextant.bench.overhead;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CI's smoke run of the overhead harness: {@code benchmarks/run overhead --quick} starts a collector,
 * runs the workload JVM with no agent, the Sextant agent and the OpenTelemetry Java agent, and must
 * write (and print last) a well-formed summary in which both agents really shipped to the collector.
 * About a minute on an idle 2-core machine, hence an IT with a generous deadline.
 */
class OverheadHarnessIT
{
    @Test
    void quickOverheadRunComparesTheThreeConfigurationsAndBothAgentsShip(@TempDir final Path out) throws Exception
    {
        final Path root = Path.of("").toAbsolutePath().getParent();
        final Path stdout = out.resolve("stdout.txt");
        final Process process = new ProcessBuilder(root.resolve("benchmarks/run").toString(), "overhead", "--quick",
            "--out", out.toString())
            .directory(root.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(out.resolve("stderr.txt").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
        final boolean finished = process.waitFor(300, TimeUnit.SECONDS);
        if (!finished)
        {
            process.destroyForcibly();
        }
        assertThat(finished).as("benchmarks/run overhead --quick finished").isTrue();
        assertThat(process.exitValue()).as(Files.readString(out.resolve("stderr.txt"))).isZero();

        final ObjectMapper mapper = new ObjectMapper();
        final JsonNode written = mapper.readTree(out.resolve("overhead.json").toFile());
        assertThat(mapper.readTree(Files.readString(stdout, StandardCharsets.UTF_8))).isEqualTo(written);
        assertThat(written.path("harness").asText()).isEqualTo("overhead");
        assertThat(written.path("params").path("quick").asBoolean()).isTrue();
        for (final String config : OverheadHarness.CONFIGS)
        {
            final JsonNode figures = written.path("results").path(config);
            for (final String key : new String[] {"throughput_ops_s", "p50_ms", "p99_ms", "startup_ms", "alloc_mb_s",
                "rss_mb", "threads"})
            {
                assertThat(figures.path(key).isNumber()).as(config + "." + key).isTrue();
                assertThat(figures.path(key).asDouble()).as(config + "." + key).isPositive();
            }
        }
        assertThat(written.path("results").path("sextant").path("data_arrived").asBoolean()).isTrue();
        assertThat(written.path("results").path("otel").path("data_arrived").asBoolean()).isTrue();
        // the agents really ran: each brings threads of its own
        assertThat(written.path("ratio").path("sextant_vs_none").path("extra_threads").asDouble()).isPositive();
        assertThat(written.path("ratio").path("otel_vs_none").path("extra_threads").asDouble()).isPositive();
        assertThat(written.path("targets").path("better_than_otel").size()).isEqualTo(7);
    }
}
