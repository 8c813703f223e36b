package io.sextant.bench.nab;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Hand-computed cases. The file used throughout has 1000 rows, so the probationary period is
 * floor(0.15 * 1000) = 150 rows, and one window over rows 500..599 (width 100).
 */
class NabScorerTest {

    private static final int[][] WINDOW = {{500, 599}};
    // sigma(-1) = 2 / (1 + e^-5) - 1 = 2 / 1.0067379 - 1 = 0.9866143
    private static final double MAX_TP = 0.9866143;

    private static NabScorer.ScoredFile file(int... detections) {
        double[] s = new double[1000];
        for (int d : detections) {
            s[d] = 1.0;
        }
        return new NabScorer.ScoredFile("f.csv", s, WINDOW);
    }

    @Test
    void scaledSigmoidMatchesThePaper() {
        assertThat(NabScorer.scaledSigmoid(0.0)).isEqualTo(0.0); // 2 / (1 + 1) - 1
        assertThat(NabScorer.scaledSigmoid(-1.0)).isCloseTo(MAX_TP, within(1e-7));
        assertThat(NabScorer.scaledSigmoid(3.5)).isEqualTo(-1.0); // beyond 3 window widths: a full false positive
    }

    @Test
    void probationIsFifteenPercentCappedAt750() {
        assertThat(NabScorer.probationRows(1000)).isEqualTo(150);
        assertThat(NabScorer.probationRows(4033)).isEqualTo(604); // floor(604.95)
        assertThat(NabScorer.probationRows(10000)).isEqualTo(750);
    }

    @Test
    void detectionAtTheFirstRowOfTheWindowEarnsTheFullReward() {
        // y = -(599 - 500 + 1) / 100 = -1 -> sigma(-1) / sigma(-1) = 1
        assertThat(NabScorer.fileScore(file(500), NabProfile.STANDARD, 0.5)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void laterDetectionEarnsTheScaledSigmoid() {
        // y = -(599 - 549 + 1) / 100 = -0.51; sigma = 2 / (1 + e^-2.55) - 1 = 2 / 1.0780817 - 1 = 0.8551470;
        // reward = 0.8551470 / 0.9866143 = 0.8667491
        assertThat(NabScorer.fileScore(file(549), NabProfile.STANDARD, 0.5)).isCloseTo(0.8667491, within(1e-6));
    }

    @Test
    void onlyTheFirstDetectionInAWindowCounts() {
        assertThat(NabScorer.fileScore(file(500, 549, 598), NabProfile.STANDARD, 0.5)).isCloseTo(1.0, within(1e-12));
        assertThat(NabScorer.fileScore(file(549, 560), NabProfile.STANDARD, 0.5)).isCloseTo(0.8667491, within(1e-6));
    }

    @Test
    void falsePositivesAreWeightedByDistanceFromThePrecedingWindow() {
        // before any window: the full -0.11; plus the missed window: -1
        assertThat(NabScorer.fileScore(file(300), NabProfile.STANDARD, 0.5)).isCloseTo(-1.11, within(1e-12));
        // one row after the window: y = 1 / (100 - 1); 0.11 * (2 / (1 + e^0.0505) - 1) = -0.0027772; plus FN -1
        assertThat(NabScorer.fileScore(file(600), NabProfile.STANDARD, 0.5)).isCloseTo(-1.0027772, within(1e-6));
        // far after: y = 400 / 99 > 3 -> -0.11; with the low-FP profile -0.22; plus FN -1
        assertThat(NabScorer.fileScore(file(999), NabProfile.STANDARD, 0.5)).isCloseTo(-1.11, within(1e-12));
        assertThat(NabScorer.fileScore(file(999), NabProfile.REWARD_LOW_FP_RATE, 0.5)).isCloseTo(-1.22, within(1e-12));
    }

    @Test
    void detectionsInTheProbationaryPeriodAreIgnored() {
        assertThat(NabScorer.fileScore(file(10, 149), NabProfile.STANDARD, 0.5)).isEqualTo(-1.0);
        assertThat(NabScorer.fileScore(file(), NabProfile.REWARD_LOW_FN_RATE, 0.5)).isEqualTo(-2.0);
    }

    @Test
    void thresholdIsOptimisedAndScoreNormalised() {
        // row 300 (an FP) scores 0.95, row 500 (the window's first row) scores 0.9.
        // threshold 0.95: FP only -> -1 - 0.11 = -1.11; threshold 0.9: TP + FP -> 1 - 0.11 = 0.89 (best).
        // null = -1 (window missed), perfect = +1: normalised = 100 * (0.89 + 1) / (1 + 1) = 94.5
        double[] s = new double[1000];
        s[300] = 0.95;
        s[500] = 0.9;
        NabScorer.Result r = NabScorer.score(List.of(new NabScorer.ScoredFile("f.csv", s, WINDOW)),
                NabProfile.STANDARD);
        assertThat(r.threshold()).isEqualTo(0.9);
        assertThat(r.rawScore()).isCloseTo(0.89, within(1e-12));
        assertThat(r.nullScore()).isEqualTo(-1.0);
        assertThat(r.perfectScore()).isEqualTo(1.0);
        assertThat(r.normalized()).isCloseTo(94.5, within(1e-9));
        assertThat(r.truePositives()).isEqualTo(1);
        assertThat(r.falsePositives()).isEqualTo(1);
    }

    @Test
    void sweepAgreesWithDirectScoringAtEveryThreshold() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            List<NabScorer.ScoredFile> files = new ArrayList<>();
            TreeSet<Double> thresholds = new TreeSet<>();
            for (int f = 0; f < 3; f++) {
                double[] s = new double[400];
                for (int i = 0; i < s.length; i++) {
                    s[i] = Math.round(rnd.nextDouble() * 50) / 50.0;
                    thresholds.add(s[i]);
                }
                files.add(new NabScorer.ScoredFile("f" + f, s, new int[][] {{100, 140}, {250, 290}}));
            }
            double best = Double.NEGATIVE_INFINITY;
            for (double t : thresholds) {
                double total = 0.0;
                for (NabScorer.ScoredFile f : files) {
                    total += NabScorer.fileScore(f, NabProfile.STANDARD, t);
                }
                best = Math.max(best, total);
            }
            best = Math.max(best, -6.0); // detecting nothing: 6 windows missed
            assertThat(NabScorer.score(files, NabProfile.STANDARD).rawScore()).isCloseTo(best, within(1e-9));
        }
    }
}
