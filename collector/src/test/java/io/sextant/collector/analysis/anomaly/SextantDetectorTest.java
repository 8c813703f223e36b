package io.sextant.collector.analysis.anomaly;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.IntToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Synthetic series sampled every 5 minutes: a daily sine (amplitude 10) around 100 with Gaussian noise
 * (sigma 1), 3000 points (about 10 days). The anomaly starts at point {@link #ONSET}; a point is an alarm when
 * its score reaches {@link #ALARM} (close to the threshold the NAB corpus selects for the standard profile).
 */
class SextantDetectorTest {

    static final long STEP_MILLIS = 5 * 60 * 1000L;
    static final int DAY = 288;
    static final int LENGTH = 3000;
    static final int ONSET = 2200;
    static final double ALARM = 0.4;
    static final long T0 = 1_700_000_000_000L;

    private static double seasonal(int i) {
        return 100.0 + 10.0 * Math.sin(2 * Math.PI * i / DAY);
    }

    /** Scores of the series whose value at point i is {@code f(i)} plus noise. */
    private static double[] run(IntToDoubleFunction f, double noise) {
        Random rnd = new Random(42);
        SextantDetector d = new SextantDetector();
        double[] s = new double[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            double v = f.applyAsDouble(i) + noise * rnd.nextGaussian();
            s[i] = d.update(T0 + i * STEP_MILLIS, v);
            assertThat(s[i]).isBetween(0.0, 1.0);
        }
        return s;
    }

    private static int delay(double[] s) {
        for (int i = ONSET; i < s.length; i++) {
            if (s[i] >= ALARM) {
                return i - ONSET;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static int alarms(double[] s, int from, int to) {
        int a = 0;
        for (int i = from; i < to; i++) {
            if (s[i] >= ALARM) {
                a++;
            }
        }
        return a;
    }

    @Test
    void cleanSeasonalSeriesRaisesFewAlarms() {
        double[] s = run(SextantDetectorTest::seasonal, 1.0);
        // after one day of learning, at most 3 alarms in about 9.4 days
        assertThat(alarms(s, DAY, LENGTH)).isLessThanOrEqualTo(3);
    }

    @Test
    void detectsASpikeAtOnce() {
        double[] s = run(i -> seasonal(i) + (i == ONSET ? 30.0 : 0.0), 1.0);
        assertThat(delay(s)).isEqualTo(0);
    }

    @Test
    void detectsALevelShiftWithinFivePoints() {
        double[] s = run(i -> seasonal(i) + (i >= ONSET ? 8.0 : 0.0), 1.0);
        assertThat(delay(s)).isLessThanOrEqualTo(5);
    }

    @Test
    void detectsATrendChangeWithinOneHundredPoints() {
        double[] s = run(i -> seasonal(i) + (i >= ONSET ? 0.1 * (i - ONSET) : 0.0), 1.0);
        assertThat(delay(s)).isLessThanOrEqualTo(100);
    }

    @Test
    void detectsAVarianceIncreaseWithinThirtyPoints() {
        Random extra = new Random(9);
        double[] s = run(i -> seasonal(i) + (i >= ONSET ? 6.0 * extra.nextGaussian() : 0.0), 1.0);
        assertThat(delay(s)).isLessThanOrEqualTo(30);
    }

    @Test
    void detectsASeasonalBreakWithinOneHundredPoints() {
        // the daily cycle stops: the series stays at its mean
        double[] s = run(i -> i >= ONSET ? 100.0 : seasonal(i), 1.0);
        assertThat(delay(s)).isLessThanOrEqualTo(100);
    }

    @Test
    void detectsAStuckValueWithinOneHundredPoints() {
        // the sensor freezes at the value it had at the onset, noise and all
        double stuck = seasonal(ONSET) + 0.3;
        double[] s = run(i -> i >= ONSET ? stuck : seasonal(i), 1.0);
        assertThat(delay(s)).isLessThanOrEqualTo(100);
    }

    @Test
    void reportsTheExpectedRangeAroundTheSeasonalPattern() {
        SextantDetector d = new SextantDetector();
        Random rnd = new Random(1);
        for (int i = 0; i < LENGTH; i++) {
            d.update(T0 + i * STEP_MILLIS, seasonal(i) + rnd.nextGaussian());
        }
        assertThat(d.periodMillis()).isBetween((DAY - 8) * STEP_MILLIS, (DAY + 8) * STEP_MILLIS);
        double next = seasonal(LENGTH - 1);
        assertThat(d.expectedLow()).isLessThan(next).isGreaterThan(next - 10);
        assertThat(d.expectedHigh()).isGreaterThan(next).isLessThan(next + 10);
    }

    @Test
    void staysWithinItsMemoryBudget() {
        SextantDetector d = new SextantDetector();
        for (int i = 0; i < 100; i++) {
            d.update(T0 + i * STEP_MILLIS, i);
        }
        assertThat(d.footprintBytes()).isLessThanOrEqualTo(16 * 1024);
    }

    @Test
    void ignoresNonFiniteValues() {
        SextantDetector d = new SextantDetector();
        for (int i = 0; i < 500; i++) {
            d.update(T0 + i * STEP_MILLIS, seasonal(i));
        }
        assertThat(d.update(T0 + 500 * STEP_MILLIS, Double.NaN)).isEqualTo(0.0);
        assertThat(d.update(T0 + 501 * STEP_MILLIS, Double.POSITIVE_INFINITY)).isEqualTo(0.0);
    }
}
