package io.sextant.collector.analysis.anomaly;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

class MultivariateDetectorTest {

    /**
     * Three series that move together (load, CPU = 2 load, latency = 10 + load) with noise. From point 2000 the
     * CPU series follows the inverse of the load: every value stays inside its own usual range (no single
     * series is anomalous), but the combination is new. The multivariate detector (alarm at 0.7) flags it within
     * 20 rows and raises at most 3 alarms in the 1000 normal rows before; the
     * per-series detector on CPU alone does not in the same rows.
     */
    @Test
    void flagsABrokenCorrelationThatNoSingleSeriesShows() {
        Random rnd = new Random(5);
        MultivariateDetector mv = new MultivariateDetector(3, 512, 256, Runnable::run);
        SextantDetector cpuAlone = new SextantDetector();
        double[] row = new double[3];
        int onset = 2000;
        int firstMv = -1;
        int firstCpu = -1;
        int falseAlarms = 0;
        for (int i = 0; i < 2100; i++) {
            double load = 50 + 20 * Math.sin(i / 30.0) + rnd.nextGaussian();
            double cpu = i < onset ? 2 * load : 2 * (100 - load);
            row[0] = load;
            row[1] = cpu + rnd.nextGaussian();
            row[2] = 10 + load + rnd.nextGaussian();
            double s = mv.update(i * 60_000L, row);
            double c = cpuAlone.update(i * 60_000L, row[1]);
            if (i >= 1000 && i < onset && s >= 0.7) {
                falseAlarms++;
            }
            if (i >= onset && s >= 0.7 && firstMv < 0) {
                firstMv = i - onset;
            }
            if (i >= onset && i < onset + 20 && c >= 0.4 && firstCpu < 0) {
                firstCpu = i - onset;
            }
        }
        assertThat(mv.ready()).isTrue();
        assertThat(firstMv).isBetween(0, 20);
        assertThat(falseAlarms).isLessThanOrEqualTo(3);
        assertThat(firstCpu).isEqualTo(-1);
    }

    /**
     * Replaying the same rows gives the same scores, whatever thread fits the forests and however long it
     * takes: a background trainer (twice) and inline training agree to the last bit, so anomalies and their
     * ids derive from the data alone.
     */
    @Test
    void replayGivesTheSameScoresWhateverTheTrainer() {
        double[] inline = scores(Runnable::run);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            assertThat(scores(pool)).containsExactly(inline);
            assertThat(scores(pool)).containsExactly(inline);
        } finally {
            pool.shutdownNow();
        }
        // and the scores are not trivially equal: the broken correlation from row 1200 raises an alarm
        assertThat(java.util.Arrays.stream(inline, 1200, inline.length).max().orElse(0.0)).isGreaterThan(0.7);
    }

    private static double[] scores(java.util.concurrent.Executor trainer) {
        Random rnd = new Random(11);
        MultivariateDetector mv = new MultivariateDetector(3, 256, 64, trainer);
        double[] out = new double[1500];
        double[] row = new double[3];
        for (int i = 0; i < out.length; i++) {
            double load = 50 + 20 * Math.sin(i / 30.0) + rnd.nextGaussian();
            row[0] = load;
            row[1] = (i < 1200 ? 2 * load : 200 - 2 * load) + rnd.nextGaussian();
            row[2] = 10 + load + rnd.nextGaussian();
            out[i] = mv.update(i * 60_000L, row);
        }
        return out;
    }
}
