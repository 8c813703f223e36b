package io.sextant.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sextant.protocol.FrameWriter;
import io.sextant.protocol.MetricsEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * Turns JMH's JSON result file into the {@code micro} summary of BENCHMARKS.md:
 *
 * <pre>
 * {"harness": "micro", "commit": ..., "jdk": ..., "cores": ..., "params": {...},
 *  "results": {"ProtocolBenchmark.encodeMetrics64": {"ns_per_op": ..., "bytes_per_op": ...}, ...},
 *  "reference": {"ReferenceBenchmark.hdrHistogramRecordValue": {...}},
 *  "ratio": {"ProtocolBenchmark.encodeMetrics64": ns_per_op / reference ns_per_op, ...}}
 * </pre>
 *
 * {@code bytes_per_op} is JMH's {@code gc.alloc.rate.norm} (heap bytes allocated per operation,
 * from {@code -prof gc}); {@code cpu_ns_per_op} is the benchmark threads' CPU time per operation
 * ({@link CpuTimeProfiler}), which unlike {@code ns_per_op} leaves out time spent preempted. The METRICS benchmarks also carry {@code wire_bytes_per_sample}: frame
 * bytes on the wire divided by the 64 samples, frame header included.
 *
 * <p>Usage: {@code MicroSummary <jmh-result.json> <summary.json> <commit> <quick:true|false>}.
 * Writes the summary and prints it on standard output.
 */
public final class MicroSummary
{
    private static final String REFERENCE_CLASS = "ReferenceBenchmark";

    private MicroSummary()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length != 4)
        {
            System.err.println("usage: MicroSummary <jmh-result.json> <summary.json> <commit> <quick>");
            System.exit(2);
        }
        final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        final JsonNode jmh = mapper.readTree(Path.of(args[0]).toFile());
        final ObjectNode summary = summarise(mapper, jmh, args[2], Boolean.parseBoolean(args[3]));
        final String json = mapper.writeValueAsString(summary);
        final Path out = Path.of(args[1]);
        if (out.getParent() != null)
        {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, json + System.lineSeparator(), StandardCharsets.UTF_8);
        System.out.println(json);
    }

    static ObjectNode summarise(final ObjectMapper mapper, final JsonNode jmh, final String commit, final boolean quick)
    {
        if (!(jmh instanceof ArrayNode) || jmh.isEmpty())
        {
            throw new IllegalArgumentException("the JMH result file holds no benchmark results");
        }
        final JsonNode first = jmh.get(0);
        final ObjectNode summary = mapper.createObjectNode();
        summary.put("harness", "micro");
        summary.put("commit", commit);
        summary.put("jdk", first.path("jdkVersion").asText(System.getProperty("java.version")));
        summary.put("cores", Runtime.getRuntime().availableProcessors());

        final ObjectNode params = summary.putObject("params");
        params.put("quick", quick);
        params.put("vm", first.path("vmName").asText() + " " + first.path("vmVersion").asText());
        params.put("mode", first.path("mode").asText());
        params.put("forks", first.path("forks").asInt());
        params.put("warmup_iterations", first.path("warmupIterations").asInt());
        params.put("warmup_time", first.path("warmupTime").asText());
        params.put("measurement_iterations", first.path("measurementIterations").asInt());
        params.put("measurement_time", first.path("measurementTime").asText());
        params.set("jvm_args", first.path("jvmArgs"));
        params.put("metrics_batch_samples", JvmMetricsBatch.SAMPLES);
        params.put("inference_batch_records", InferenceBatch.RECORDS);
        params.put("inference_numeric_features", InferenceBatch.FEATURES);
        params.put("ratio", "ns_per_op of each benchmark / ns_per_op of the reference");

        final ObjectNode results = summary.putObject("results");
        final ObjectNode reference = summary.putObject("reference");
        final double wireBytesPerSample = metricsWireBytesPerSample();
        double referenceNs = Double.NaN;
        for (final JsonNode benchmark : jmh)
        {
            final String name = shortName(benchmark.path("benchmark").asText());
            final ObjectNode entry = mapper.createObjectNode();
            final JsonNode primary = benchmark.path("primaryMetric");
            entry.put("ns_per_op", toNanos(primary.path("score").asDouble(), primary.path("scoreUnit").asText()));
            // The fastest iteration: on a shared machine the mean also measures the neighbours.
            putNumber(entry, "ns_per_op_min", toNanos(primary.path("scorePercentiles").path("0.0")
                .asDouble(Double.NaN), primary.path("scoreUnit").asText()));
            putNumber(entry, "ns_per_op_error", toNanos(primary.path("scoreError").asDouble(Double.NaN),
                primary.path("scoreUnit").asText()));
            putNumber(entry, "bytes_per_op", secondary(benchmark.path("secondaryMetrics"), "gc.alloc.rate.norm"));
            putNumber(entry, "cpu_ns_per_op", secondary(benchmark.path("secondaryMetrics"), "cpu.time.norm"));
            if (name.contains("Metrics64"))
            {
                entry.put("wire_bytes_per_sample", wireBytesPerSample);
            }
            if (name.startsWith(REFERENCE_CLASS))
            {
                reference.set(name, entry);
                referenceNs = entry.path("ns_per_op").asDouble();
            }
            else
            {
                results.set(name, entry);
            }
        }
        final ObjectNode ratio = summary.putObject("ratio");
        final Iterator<Map.Entry<String, JsonNode>> fields = results.fields();
        while (fields.hasNext())
        {
            final Map.Entry<String, JsonNode> field = fields.next();
            if (!Double.isNaN(referenceNs) && referenceNs > 0)
            {
                ratio.put(field.getKey(), field.getValue().path("ns_per_op").asDouble() / referenceNs);
            }
        }
        return summary;
    }

    /** Encodes every tick of the benchmark's METRICS batch and averages the frame bytes per sample. */
    static double metricsWireBytesPerSample()
    {
        final JvmMetricsBatch batch = new JvmMetricsBatch();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
        final FrameWriter frames = new FrameWriter();
        final MetricsEncoder encoder = new MetricsEncoder();
        long bytes = 0;
        for (int tick = 0; tick < JvmMetricsBatch.TICKS; tick++)
        {
            bytes += batch.encode(frames, encoder, buffer, tick, tick + 1);
        }
        return (double)bytes / (JvmMetricsBatch.TICKS * JvmMetricsBatch.SAMPLES);
    }

    /** JSON has no NaN: an unknown figure (a single iteration's error, no -prof gc) is null. */
    private static void putNumber(final ObjectNode node, final String field, final double value)
    {
        if (Double.isNaN(value) || Double.isInfinite(value))
        {
            node.putNull(field);
        }
        else
        {
            node.put(field, value);
        }
    }

    private static String shortName(final String benchmark)
    {
        final String[] parts = benchmark.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : benchmark;
    }

    /** A secondary metric's score (gc.alloc.rate.norm from -prof gc, cpu.time.norm from CpuTimeProfiler). */
    private static double secondary(final JsonNode secondary, final String metric)
    {
        final Iterator<Map.Entry<String, JsonNode>> fields = secondary.fields();
        while (fields.hasNext())
        {
            final Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().endsWith(metric))
            {
                return field.getValue().path("score").asDouble();
            }
        }
        return Double.NaN; // run without the profiler
    }

    private static double toNanos(final double score, final String unit)
    {
        if (unit.startsWith("ns/"))
        {
            return score;
        }
        if (unit.startsWith("us/"))
        {
            return score * 1e3;
        }
        if (unit.startsWith("ms/"))
        {
            return score * 1e6;
        }
        if (unit.startsWith("s/"))
        {
            return score * 1e9;
        }
        throw new IllegalArgumentException("unexpected score unit " + unit + ": run JMH in average-time mode");
    }
}
