package io.sextant.collector.analysis.anomaly;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The silence test with the detector's settings, on a spike process: Gaussian noise around 1 (sigma 0.1) with a
 * spike of +10 on 10% of the points (a burst onset every 11 points on average), five seeds each.
 */
class ActivityTestTest {

    static final long[] SEEDS = {42, 1, 2, 3, 4};

    private static ActivityTest detectorSettings() {
        return new ActivityTest(SextantDetector.ACT_K, SextantDetector.ACT_H, SextantDetector.ACT_LONG,
                SextantDetector.ACT_GAPS, SextantDetector.ACT_MIN_BURSTS);
    }

    private static double spiky(Random r, boolean spikes) {
        return 1.0 + 0.1 * r.nextGaussian() + (spikes && r.nextDouble() < 0.1 ? 10.0 : 0.0);
    }

    @Test
    void spikeProcessFallingSilentIsFoundWithin400Points() {
        for (long seed : SEEDS) {
            Random r = new Random(seed);
            ActivityTest t = detectorSettings();
            for (int i = 0; i < 3000; i++) {
                assertThat(t.update(spiky(r, true))).as("seed %d, point %d before the silence", seed, i).isZero();
            }
            // a burst every ~11 points: a silence of L points has lambda L / (11 ln 10), 10 at about 250 points
            assertThat(t.meanGap()).as("seed %d", seed).isBetween(7.0, 16.0);
            int found = -1;
            for (int i = 0; i < 1000; i++) {
                double lambda = t.update(spiky(r, false));
                if (lambda > 0) {
                    assertThat(found).as("fires once per silence").isEqualTo(-1);
                    assertThat(lambda).isEqualTo(SextantDetector.ACT_H);
                    found = i;
                }
            }
            assertThat(found).as("seed %d", seed).isBetween(100, 400);
        }
    }

    @Test
    void stationarySpikyNoiseStaysQuiet() {
        for (long seed : SEEDS) {
            Random r = new Random(seed);
            ActivityTest t = detectorSettings();
            for (int i = 0; i < 20000; i++) {
                assertThat(t.update(spiky(r, true))).as("seed %d, point %d", seed, i).isZero();
            }
        }
    }

    @Test
    void noiseWithoutBurstsNeverFires() {
        for (long seed : SEEDS) {
            Random r = new Random(seed);
            ActivityTest t = detectorSettings();
            for (int i = 0; i < 20000; i++) {
                assertThat(t.update(10.0 + r.nextGaussian())).as("seed %d, point %d", seed, i).isZero();
            }
        }
    }

    @Test
    void burstsResumingRearmTheTest() {
        Random r = new Random(7);
        ActivityTest t = detectorSettings();
        int fires = 0;
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 2000; i++) {
                fires += t.update(spiky(r, true)) > 0 ? 1 : 0;
            }
            for (int i = 0; i < 600; i++) {
                fires += t.update(spiky(r, false)) > 0 ? 1 : 0;
            }
        }
        assertThat(fires).isEqualTo(3);
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> new ActivityTest(0, 10, 2000, 20, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> new ActivityTest(5, 10, 2000, 20, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
