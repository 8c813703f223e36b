package io.sextant.bench.drift;

import io.sextant.collector.mlops.drift.DriftEvaluator;
import io.sextant.collector.mlops.drift.DriftPolicy;
import io.sextant.collector.mlops.monitor.ModelMonitor;
import io.sextant.collector.mlops.monitor.MonitorSettings;
import io.sextant.collector.mlops.sketch.CategoricalSketch;
import io.sextant.collector.mlops.sketch.NumericSketch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one drift-sketch update on the analysis path (BENCHMARKS.md {@code micro}): a numeric sketch
 * in histogram mode (past its exact capacity), a categorical sketch with its categories known, and one
 * whole inference record into {@link ModelMonitor} (latency, two features, prediction, score). Compare
 * with {@code ReferenceBenchmark.hdrHistogramRecordValue} from the same run; both should be 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class DriftSketchBenchmark {

    private static final String[] LABELS = {"card", "transfer", "cash", "crypto", "cheque", "direct_debit"};

    private NumericSketch numeric;
    private CategoricalSketch categorical;
    private ModelMonitor monitor;
    private long state = 1;

    @Setup
    public void setUp() {
        numeric = new NumericSketch();
        categorical = new CategoricalSketch();
        monitor = new ModelMonitor(MonitorSettings.defaults().withWindowMs(Long.MAX_VALUE / 4),
            new DriftEvaluator(DriftPolicy.defaults()), (summary, drift) -> { });
        for (int i = 0; i < 10_000; i++) {
            numeric.update(next());
            categorical.update(LABELS[i % LABELS.length]);
            monitorRecord();
        }
    }

    private double next() {
        state = state * 6_364_136_223_846_793_005L + 1_442_695_040_888_963_407L;
        return ((state >>> 11) * 0x1.0p-53) * 100.0;
    }

    @Benchmark
    public long numericSketchUpdate() {
        numeric.update(next());
        return numeric.count();
    }

    @Benchmark
    public Object monitorRecord() {
        double x = next();
        return monitor.record("fraud", "7", 1_000L, 2_000_000L + (long) x, false)
            .numeric("amount", x)
            .categorical("channel", LABELS[(int) (state & 3)])
            .predictedClass(LABELS[(int) (state & 1)])
            .score(x / 100.0);
    }

    @Benchmark
    public long categoricalSketchUpdate() {
        categorical.update(LABELS[(int) (state++ & 3)]);
        return categorical.total();
    }
}
