package io.sextant.bench.nab;

import io.sextant.collector.analysis.anomaly.SeriesDetector;
import io.sextant.collector.analysis.anomaly.SextantDetector;
import io.sextant.collector.analysis.anomaly.WindowedGaussianDetector;
import io.sextant.collector.analysis.forecast.HoltWintersForecaster;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Cost of one point through a detector and the forecaster, after warm-up (the detectors have seen three days
 * of a 5-minute seasonal series, so the period search and the profile are live). Run with {@code -prof gc}:
 * {@code update} must allocate 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class DetectorUpdateBenchmark {

    private static final int SERIES = 1 << 14;
    private static final long STEP_MILLIS = 300_000L;

    private final double[] values = new double[SERIES];
    private SeriesDetector sextant;
    private SeriesDetector windowedGaussian;
    private HoltWintersForecaster forecaster;
    private int i;
    private long t;

    @Setup(Level.Trial)
    public void setUp() {
        Random rnd = new Random(11);
        for (int k = 0; k < SERIES; k++) {
            values[k] = 100 + 10 * Math.sin(2 * Math.PI * k / 288) + rnd.nextGaussian() + (k % 997 == 0 ? 25 : 0);
        }
        sextant = new SextantDetector();
        windowedGaussian = new WindowedGaussianDetector();
        forecaster = new HoltWintersForecaster();
        for (i = 0; i < 3 * 288; i++) {
            t = i * STEP_MILLIS;
            sextant.update(t, values[i]);
            windowedGaussian.update(t, values[i]);
            forecaster.update(t, values[i]);
        }
    }

    private double next() {
        t += STEP_MILLIS;
        return values[i++ & (SERIES - 1)];
    }

    @Benchmark
    public double sextantUpdate() {
        return sextant.update(t, next());
    }

    @Benchmark
    public double windowedGaussianUpdate() {
        return windowedGaussian.update(t, next());
    }

    @Benchmark
    public long holtWintersUpdate() {
        forecaster.update(t, next());
        return forecaster.count();
    }
}
