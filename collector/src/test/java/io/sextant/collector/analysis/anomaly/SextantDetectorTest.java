package io.sextant.collector.analysis.anomaly;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Synthetic series sampled every 5 minutes: a daily sine (amplitude 10) around 100 with Gaussian noise
 * (sigma 1), 3000 points (about 10 days). The anomaly starts at point {@link #ONSET}; a point is an alarm when
 * its score reaches {@link #ALARM} (close to the threshold the NAB corpus selects for the standard profile).
 * Each scenario runs with five noise seeds and the bound holds for the worst of them.
 */
class SextantDetectorTest {

    static final long STEP_MILLIS = 5 * 60 * 1000L;
    static final int DAY = 288;
    static final int LENGTH = 3000;
    static final int ONSET = 2200;
    static final double ALARM = 0.4;
    static final long T0 = 1_700_000_000_000L;
    static final long[] SEEDS = {42, 1, 2, 3, 4};

    /** A scenario: the value at point i, given a noise source. */
    interface Scenario {
        double value(int i, Random noise);
    }

    private static double seasonal(int i) {
        return 100.0 + 10.0 * Math.sin(2 * Math.PI * i / DAY);
    }

    private static double[] run(Scenario f, long seed) {
        Random rnd = new Random(seed);
        SextantDetector d = new SextantDetector();
        double[] s = new double[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            s[i] = d.update(T0 + i * STEP_MILLIS, f.value(i, rnd));
            assertThat(s[i]).isBetween(0.0, 1.0);
        }
        return s;
    }

    /** Worst detection delay over the seeds, in points after the onset (MAX_VALUE when never detected). */
    private static int worstDelay(Scenario f) {
        int worst = 0;
        for (long seed : SEEDS) {
            double[] s = run(f, seed);
            int delay = Integer.MAX_VALUE;
            for (int i = ONSET; i < s.length; i++) {
                if (s[i] >= ALARM) {
                    delay = i - ONSET;
                    break;
                }
            }
            worst = Math.max(worst, delay);
        }
        return worst;
    }

    @Test
    void cleanSeasonalSeriesRaisesAtMostTwoAlarmsAfterTheFirstDay() {
        for (long seed : SEEDS) {
            double[] s = run((i, r) -> seasonal(i) + r.nextGaussian(), seed);
            int alarms = 0;
            for (int i = DAY; i < LENGTH; i++) {
                if (s[i] >= ALARM) {
                    alarms++;
                }
            }
            assertThat(alarms).as("seed %d", seed).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void aDailySquareWaveRaisesNoAlarmWhileItsCycleIsBeingFound() {
        // low 9 hours, high 9 hours, low 6 hours: the first change-point test must wait for the period search
        // (a cycle found after two days fired the test on its first edge, before the profile was learnt)
        for (long seed : SEEDS) {
            double[] s = run((i, r) -> {
                int phase = i % DAY;
                return (phase >= 108 && phase < 216 ? 80.0 : 20.0) + 0.5 * r.nextGaussian();
            }, seed);
            int alarms = 0;
            for (int i = DAY; i < LENGTH; i++) {
                if (s[i] >= ALARM) {
                    alarms++;
                }
            }
            assertThat(alarms).as("seed %d", seed).isZero();
        }
    }

    @Test
    void detectsASpikeWithinOnePoint() {
        // 15 sigma for one point
        assertThat(worstDelay((i, r) -> seasonal(i) + r.nextGaussian() + (i == ONSET ? 15.0 : 0.0)))
                .isLessThanOrEqualTo(1);
    }

    @Test
    void detectsALevelShiftWithinThreePoints() {
        // +10 sigma from the onset on
        assertThat(worstDelay((i, r) -> seasonal(i) + r.nextGaussian() + (i >= ONSET ? 10.0 : 0.0)))
                .isLessThanOrEqualTo(3);
    }

    @Test
    void detectsATrendChangeWithinEightyPoints() {
        // a new slope of 0.05 sigma per point: 2.5 sigma after 50 points
        assertThat(worstDelay((i, r) -> seasonal(i) + r.nextGaussian() + (i >= ONSET ? 0.05 * (i - ONSET) : 0.0)))
                .isLessThanOrEqualTo(80);
    }

    @Test
    void detectsAVarianceIncreaseWithinTwentyPoints() {
        // noise sigma 1 -> 4
        assertThat(worstDelay((i, r) -> seasonal(i) + r.nextGaussian() * (i >= ONSET ? 4.0 : 1.0)))
                .isLessThanOrEqualTo(20);
    }

    @Test
    void detectsASeasonalBreakWithinHalfADay() {
        // the daily cycle stops: the series stays at its mean (7.7 below the cycle's value at the onset)
        assertThat(worstDelay((i, r) -> (i >= ONSET ? 100.0 : seasonal(i)) + r.nextGaussian()))
                .isLessThanOrEqualTo(DAY / 2);
    }

    @Test
    void detectsAStuckValueWithinOneHundredPoints() {
        // the sensor freezes: the last value before the onset repeats exactly
        double[] last = new double[1];
        assertThat(worstDelay((i, r) -> {
            if (i < ONSET) {
                last[0] = seasonal(i) + r.nextGaussian();
            }
            return last[0];
        })).isLessThanOrEqualTo(100);
    }

    @Test
    void aSpikeAtTheSameTimeEveryDayAlarmsAtMostThreeTimesInNineDays() {
        // flat noise around 50 (sigma 1) and a +30 spike every day at 03:20 or 03:25: the rhythm of the alarms
        // (two equal gaps) damps the third occurrence on. Without it 4 or 5 of the 9 spikes alarmed for three
        // of the five seeds (the phase test alone let the fourth day's spike through); a spike after a week of
        // damped ones can still alarm once
        for (long seed : SEEDS) {
            Random rnd = new Random(seed);
            SextantDetector d = new SextantDetector();
            int alarms = 0;
            boolean first = false;
            for (int i = 0; i < 10 * DAY; i++) {
                int day = i / DAY;
                boolean spike = day >= 1 && i % DAY == 40 + day % 2;
                double s = d.update(T0 + i * STEP_MILLIS, 50.0 + rnd.nextGaussian() + (spike ? 30.0 : 0.0));
                if (spike && s >= ALARM) {
                    alarms++;
                    first |= day == 1;
                }
            }
            assertThat(first).as("seed %d: the first spike is news", seed).isTrue();
            assertThat(alarms).as("seed %d", seed).isLessThanOrEqualTo(3);
        }
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
