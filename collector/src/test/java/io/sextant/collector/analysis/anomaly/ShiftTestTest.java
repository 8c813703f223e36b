package io.sextant.collector.analysis.anomaly;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The distribution-shift test with the detector's settings (64-point recent window, 2000-point long run), on
 * Gaussian noise around 10 (sigma 1), five seeds each.
 */
class ShiftTestTest {

    static final long[] SEEDS = {42, 1, 2, 3, 4};

    private static ShiftTest detectorSettings() {
        return new ShiftTest(SextantDetector.SHIFT_SHORT, SextantDetector.SHIFT_LONG, SextantDetector.SHIFT_STEP,
                0.001, 60);
    }

    @Test
    void stationaryNoiseStaysBelowTwo() {
        for (long seed : SEEDS) {
            Random r = new Random(seed);
            ShiftTest t = detectorSettings();
            double max = 0.0;
            for (int i = 0; i < 5000; i++) {
                double lambda = t.update(10.0 + r.nextGaussian());
                assertThat(lambda).isNotNegative().isFinite();
                if (i >= 500) {
                    max = Math.max(max, lambda);
                }
            }
            assertThat(max).as("seed %d", seed).isLessThan(2.0);
        }
    }

    @Test
    void findsTheBodyOfTheValuesMovingByOneSigmaWithinOneHundredPoints() {
        // each point of the shifted body is an unremarkable value; only their distribution has moved
        for (long seed : SEEDS) {
            Random r = new Random(seed);
            ShiftTest t = detectorSettings();
            int delay = Integer.MAX_VALUE;
            for (int i = 0; i < 5200; i++) {
                double lambda = t.update(10.0 + (i < 5000 ? 0.0 : 1.0) + r.nextGaussian());
                if (i >= 5000 && lambda >= 2.5) {
                    delay = i - 5000;
                    break;
                }
            }
            assertThat(delay).as("seed %d", seed).isLessThanOrEqualTo(100);
        }
    }

    @Test
    void aSeriesOfTiesIsNotAShift() {
        // mostly zeros with rare bursts: the thresholds sit on 0 and hover around it; a threshold a step below 0
        // must not flip the fraction below it from 0.95 to 0 (it did: lambda 13.5)
        Random r = new Random(7);
        ShiftTest t = detectorSettings();
        double max = 0.0;
        for (int i = 0; i < 5000; i++) {
            double lambda = t.update(r.nextDouble() < 0.05 ? 1e6 * r.nextDouble() : 0.0);
            if (i >= 500) {
                max = Math.max(max, lambda);
            }
        }
        assertThat(max).isLessThan(5.0);
    }

    @Test
    void rejectsWindowsThatCannotBeCompared() {
        assertThatThrownBy(() -> new ShiftTest(100, 100, 0.01, 0.001, 60))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shortPoints < longPoints");
        assertThatThrownBy(() -> new ShiftTest(0, 100, 0.01, 0.001, 60))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ShiftTest(10, 100, 0.0, 0.001, 60))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
