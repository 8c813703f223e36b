package io.sextant.bench;

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
 * CI's smoke run of the micro harness: {@code benchmarks/run micro --quick} restricted to two short
 * benchmarks must end within a minute and write (and print last) a well-formed summary.
 */
class MicroHarnessIT
{
    @Test
    void quickMicroRunPrintsAndWritesAWellFormedSummary(@TempDir final Path out) throws Exception
    {
        final Path root = Path.of("").toAbsolutePath().getParent();
        final Path stdout = out.resolve("stdout.txt");
        final Process process = new ProcessBuilder(root.resolve("benchmarks/run").toString(), "micro", "--quick",
            "--only", "ProtocolBenchmark.decodeMetrics64|ReferenceBenchmark", "--out", out.toString())
            .directory(root.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(out.resolve("stderr.txt").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
        process.getOutputStream().close();
        final boolean finished = process.waitFor(120, TimeUnit.SECONDS);
        if (!finished)
        {
            process.destroyForcibly();
        }

        assertThat(finished).as("benchmarks/run micro --quick finished within 120 s").isTrue();
        assertThat(process.exitValue()).as(Files.readString(out.resolve("stderr.txt"))).isZero();
        final ObjectMapper mapper = new ObjectMapper();
        final JsonNode written = mapper.readTree(out.resolve("micro.json").toFile());
        final JsonNode printed = mapper.readTree(Files.readString(stdout, StandardCharsets.UTF_8));
        assertThat(printed).isEqualTo(written);

        assertThat(written.path("harness").asText()).isEqualTo("micro");
        assertThat(written.path("commit").asText()).isNotBlank();
        assertThat(written.path("jdk").asText()).isNotBlank();
        assertThat(written.path("cores").asInt()).isPositive();
        assertThat(written.path("params").path("quick").asBoolean()).isTrue();
        final JsonNode decode = written.path("results").path("ProtocolBenchmark.decodeMetrics64");
        assertThat(decode.path("ns_per_op").isNumber()).isTrue();
        assertThat(decode.path("ns_per_op").asDouble()).isPositive();
        assertThat(decode.path("bytes_per_op").isNumber()).isTrue();
        assertThat(decode.path("cpu_ns_per_op").asDouble()).isPositive();
        assertThat(decode.path("wire_bytes_per_sample").asDouble()).isBetween(2.0, 10.0);
        final JsonNode reference = written.path("reference").path("ReferenceBenchmark.hdrHistogramRecordValue");
        assertThat(reference.path("ns_per_op").asDouble()).isPositive();
        assertThat(written.path("ratio").path("ProtocolBenchmark.decodeMetrics64").asDouble()).isPositive();
        assertThat(written.path("params").path("jvm_args").toString()).contains("--add-exports=java.base/jdk.internal.misc");
    }
}
