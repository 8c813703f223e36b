package io.sextant.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MicroSummaryTest
{
    private final ObjectMapper mapper = new ObjectMapper();

    private static String result(final String benchmark, final double score, final String unit, final String error,
        final double allocated)
    {
        return """
            {"jmhVersion": "1.37", "benchmark": "%s", "mode": "avgt", "forks": 2, "jvmArgs": ["-Dx=1"],
             "jdkVersion": "17.0.15", "vmName": "OpenJDK 64-Bit Server VM", "vmVersion": "17.0.15+6",
             "warmupIterations": 5, "warmupTime": "1 s", "measurementIterations": 5, "measurementTime": "1 s",
             "primaryMetric": {"score": %s, "scoreError": %s, "scoreUnit": "%s",
                               "scorePercentiles": {"0.0": %s, "100.0": %s}},
             "secondaryMetrics": {"gc.alloc.rate": {"score": 1.0, "scoreUnit": "MB/sec"},
                                  "gc.alloc.rate.norm": {"score": %s, "scoreUnit": "B/op"},
                                  "cpu.time.norm": {"score": %s, "scoreUnit": "ns/op"}}}
            """.formatted(benchmark, score, error, unit, score * 0.9, score * 1.2, allocated, score * 0.8);
    }

    @Test
    void summarisesResultsReferenceAndRatiosInTheBenchmarksFormat() throws Exception
    {
        final JsonNode jmh = mapper.readTree("[" +
            result("io.sextant.bench.ProtocolBenchmark.decodeMetrics64", 0.5, "us/op", "0.01", 0.001) + "," +
            result("io.sextant.bench.ReferenceBenchmark.hdrHistogramRecordValue", 5.0, "ns/op", "\"NaN\"", 0) + "]");

        final JsonNode summary = MicroSummary.summarise(mapper, jmh, "abc123", false);

        assertThat(summary.path("harness").asText()).isEqualTo("micro");
        assertThat(summary.path("commit").asText()).isEqualTo("abc123");
        assertThat(summary.path("jdk").asText()).isEqualTo("17.0.15");
        assertThat(summary.path("cores").asInt()).isPositive();
        assertThat(summary.path("params").path("forks").asInt()).isEqualTo(2);
        final JsonNode decode = summary.path("results").path("ProtocolBenchmark.decodeMetrics64");
        assertThat(decode.path("ns_per_op").asDouble()).isEqualTo(500.0, within(1e-9));
        assertThat(decode.path("ns_per_op_min").asDouble()).isEqualTo(450.0, within(1e-9));
        assertThat(decode.path("ns_per_op_error").asDouble()).isEqualTo(10.0, within(1e-9));
        assertThat(decode.path("bytes_per_op").asDouble()).isEqualTo(0.001);
        assertThat(decode.path("cpu_ns_per_op").asDouble()).as("as JMH reports it, in ns/op").isEqualTo(0.4,
            within(1e-9));
        assertThat(decode.path("wire_bytes_per_sample").asDouble())
            .isEqualTo(MicroSummary.metricsWireBytesPerSample()).isBetween(2.0, 10.0);
        final JsonNode reference = summary.path("reference").path("ReferenceBenchmark.hdrHistogramRecordValue");
        assertThat(reference.path("ns_per_op").asDouble()).isEqualTo(5.0);
        assertThat(reference.path("ns_per_op_error").isNull()).as("JSON has no NaN").isTrue();
        assertThat(summary.path("results").has("ReferenceBenchmark.hdrHistogramRecordValue")).isFalse();
        assertThat(summary.path("ratio").path("ProtocolBenchmark.decodeMetrics64").asDouble()).isEqualTo(100.0,
            within(1e-9));
    }

    @Test
    void refusesAnEmptyResultFile() throws Exception
    {
        assertThatThrownBy(() -> MicroSummary.summarise(mapper, mapper.readTree("[]"), "x", true))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no benchmark results");
    }

    @Test
    void steadyJvmMetricsCostAtMostTenBytesPerSampleOnTheWire()
    {
        assertThat(MicroSummary.metricsWireBytesPerSample()).isLessThanOrEqualTo(10.0);
    }
}
