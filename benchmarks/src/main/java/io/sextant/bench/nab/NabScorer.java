package io.sextant.bench.nab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores anomaly scores against label windows the way the NAB paper describes (Lavin and Ahmad, "Evaluating
 * Real-time Anomaly Detection Algorithms - the Numenta Anomaly Benchmark", 2015, and the NAB README):
 *
 * <ul>
 *   <li>A point is a detection when its score is at or above the threshold. Points in the probationary period
 *       (the first 15% of a file, at most 750 rows) are ignored.</li>
 *   <li>Inside a window only the first detection counts. Its reward is {@code tpWeight * sigma(y) / sigma(-1)}
 *       with the scaled sigmoid {@code sigma(y) = 2 / (1 + e^(5y)) - 1} and {@code y = -(right - i + 1) / width}
 *       its relative position: -1 at the window's first row (reward tpWeight), near 0 at its last row.</li>
 *   <li>A window without a detection costs {@code fnWeight}.</li>
 *   <li>Every detection outside windows costs {@code fpWeight * -sigma(y)} with
 *       {@code y = (i - previousRight) / (previousWidth - 1)} relative to the preceding window (cheap just after
 *       a window, the full fpWeight beyond three window widths), and the full fpWeight before the first window.</li>
 *   <li>The threshold is chosen per detector and profile to maximise the score summed over the corpus, and the
 *       sum is normalised as {@code 100 * (S - S_null) / (S_perfect - S_null)}: the null detector detects
 *       nothing, the perfect detector detects every window at its first row and nothing else.</li>
 * </ul>
 */
final class NabScorer {

    /** One scored file: the detector's scores per row and the label windows as inclusive row ranges. */
    record ScoredFile(String name, double[] scores, int[][] windows) {
    }

    /** The outcome for one detector and profile. */
    record Result(String profile, double threshold, double rawScore, double nullScore, double perfectScore,
                  double normalized, int truePositives, int falsePositives, int falseNegatives) {
    }

    private NabScorer() {
    }

    /** The scaled sigmoid of the NAB paper. */
    static double scaledSigmoid(double y) {
        if (y > 3.0) {
            return -1.0;
        }
        return 2.0 / (1.0 + Math.exp(5.0 * y)) - 1.0;
    }

    /** Rows at the start of a file whose detections are ignored: 15% of the file, at most 750. */
    static int probationRows(int length) {
        return Math.min((int) Math.floor(0.15 * length), 750);
    }

    /** Scores one detector over a corpus with the best threshold for the profile. */
    static Result score(List<ScoredFile> files, NabProfile profile) {
        double maxTp = scaledSigmoid(-1.0);
        int totalWindows = 0;
        List<Row> rows = new ArrayList<>();
        int windowBase = 0;
        for (ScoredFile f : files) {
            int n = f.scores().length;
            int probation = probationRows(n);
            int[][] w = f.windows();
            int wi = 0;
            for (int i = probation; i < n; i++) {
                while (wi < w.length && w[wi][1] < i) {
                    wi++;
                }
                double s = f.scores()[i];
                if (wi < w.length && w[wi][0] <= i) {
                    int width = w[wi][1] - w[wi][0] + 1;
                    double y = -(double) (w[wi][1] - i + 1) / width;
                    rows.add(new Row(s, windowBase + wi, i, profile.tpWeight() * scaledSigmoid(y) / maxTp));
                } else {
                    double value;
                    if (wi == 0) {
                        value = -profile.fpWeight();
                    } else {
                        int[] prev = w[wi - 1];
                        int prevWidth = prev[1] - prev[0] + 1;
                        double y = (double) (i - prev[1]) / Math.max(1, prevWidth - 1);
                        value = profile.fpWeight() * scaledSigmoid(y);
                    }
                    rows.add(new Row(s, -1, i, value));
                }
            }
            windowBase += w.length;
            totalWindows += w.length;
        }
        rows.sort((a, b) -> Double.compare(b.score, a.score));

        double nullScore = -profile.fnWeight() * totalWindows;
        double perfectScore = profile.tpWeight() * totalWindows;
        int[] firstRow = new int[totalWindows];
        double[] firstValue = new double[totalWindows];
        Arrays.fill(firstRow, Integer.MAX_VALUE);
        double total = nullScore;
        double best = nullScore;
        double bestThreshold = Double.POSITIVE_INFINITY;
        int tp = 0;
        int fp = 0;
        int bestTp = 0;
        int bestFp = 0;
        int k = 0;
        while (k < rows.size()) {
            double threshold = rows.get(k).score;
            // every row with this exact score becomes a detection together
            while (k < rows.size() && rows.get(k).score == threshold) {
                Row r = rows.get(k++);
                if (r.window < 0) {
                    total += r.value;
                    fp++;
                } else if (r.row < firstRow[r.window]) {
                    if (firstRow[r.window] == Integer.MAX_VALUE) {
                        total += profile.fnWeight() + r.value;
                        tp++;
                    } else {
                        total += r.value - firstValue[r.window];
                    }
                    firstRow[r.window] = r.row;
                    firstValue[r.window] = r.value;
                }
            }
            if (total > best) {
                best = total;
                bestThreshold = threshold;
                bestTp = tp;
                bestFp = fp;
            }
        }
        double normalized = perfectScore == nullScore ? 0.0
                : 100.0 * (best - nullScore) / (perfectScore - nullScore);
        return new Result(profile.name(), bestThreshold, best, nullScore, perfectScore, normalized, bestTp, bestFp,
                totalWindows - bestTp);
    }

    /**
     * The score of one file at a fixed threshold, computed directly row by row (no sweep); the sweep in
     * {@link #score} must agree with it, which the tests check.
     */
    static double fileScore(ScoredFile f, NabProfile profile, double threshold) {
        double maxTp = scaledSigmoid(-1.0);
        int n = f.scores().length;
        int probation = probationRows(n);
        int[][] w = f.windows();
        boolean[] detected = new boolean[w.length];
        double total = 0.0;
        int wi = 0;
        for (int i = probation; i < n; i++) {
            while (wi < w.length && w[wi][1] < i) {
                wi++;
            }
            if (f.scores()[i] < threshold) {
                continue;
            }
            if (wi < w.length && w[wi][0] <= i) {
                if (!detected[wi]) {
                    detected[wi] = true;
                    int width = w[wi][1] - w[wi][0] + 1;
                    total += profile.tpWeight() * scaledSigmoid(-(double) (w[wi][1] - i + 1) / width) / maxTp;
                }
            } else if (wi == 0) {
                total -= profile.fpWeight();
            } else {
                int[] prev = w[wi - 1];
                double y = (double) (i - prev[1]) / Math.max(1, prev[1] - prev[0]);
                total += profile.fpWeight() * scaledSigmoid(y);
            }
        }
        for (boolean d : detected) {
            if (!d) {
                total -= profile.fnWeight();
            }
        }
        return total;
    }

    private record Row(double score, int window, int row, double value) {
    }
}
