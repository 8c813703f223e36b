package io.sextant.bench.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sextant.collector.mlops.drift.DriftEvaluator;
import io.sextant.collector.mlops.drift.DriftMethod;
import io.sextant.collector.mlops.drift.DriftPolicy;
import io.sextant.collector.mlops.drift.DriftTestResult;
import io.sextant.collector.mlops.sketch.Cdf;
import io.sextant.collector.mlops.sketch.NumericSketch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Drift detection on synthetic streams with known change points.
 *
 * <p>Each scenario draws a reference profile of {@code referenceSize} N(0, 1) values (a "training
 * profile"), then streams windows of {@code windowSize} values. Delay trials: a seeded random number of
 * stationary windows (5 to 15), then the mean moves by {@code shift} sigma, from a window boundary on or,
 * in the mid-window scenario, from a random sample inside the next window; the delay is the index of the
 * first alarmed window counted from the window that contains the change (1 = caught in that window); no
 * alarm within 10 windows is a miss. False alarms: alarms on long
 * stationary streams (plus the pre-change windows of the delay trials), divided by the windows tested.
 *
 * <p>Usage: {@code DriftHarness [--out DIR] [--quick] [--seed N]}. Writes {@code DIR/drift.json} and prints it.
 */
public final class DriftHarness {

    static final int MAX_SHIFTED_WINDOWS = 10;

    /** One configuration of the harness. */
    record Scenario(String name, int referenceSize, int windowSize, int delayTrials, int stationaryWindows,
                    double shift, DriftPolicy policy, boolean midWindow, boolean allMethods) {
    }

    /** Counts for one method within a scenario. */
    static final class Score {
        long windows;
        long falseAlarms;
        final List<Integer> delays = new ArrayList<>();
        int missed;
        final List<Double> stationaryValues = new ArrayList<>();
        final List<Double> firstShiftedValues = new ArrayList<>();

        double falseAlarmRate() {
            return windows == 0 ? 0 : (double) falseAlarms / windows;
        }
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of("benchmarks", "results");
        boolean quick = false;
        long seed = 42;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--data" -> i++; // synthetic streams: no data folder needed
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                    + "; usage: DriftHarness [--out DIR] [--quick] [--seed N]");
            }
        }
        ObjectNode summary = run(seed, quick);
        nanToNull(summary);
        Files.createDirectories(out);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String json = mapper.writeValueAsString(summary);
        Files.writeString(out.resolve("drift.json"), json + "\n", StandardCharsets.UTF_8);
        System.out.println(json);
    }

    static ObjectNode run(long seed, boolean quick) {
        int trials = quick ? 40 : 300;
        int stationary = quick ? 300 : 3000;
        DriftPolicy defaults = DriftPolicy.defaults();
        Scenario main = new Scenario("profile_10000_window_1000", 10_000, 1000, trials, stationary, 0.5, defaults,
            false, true);
        // The change lands at a random sample inside a window: that window is only partly shifted.
        Scenario mid = new Scenario("profile_10000_window_1000_change_mid_window", 10_000, 1000, trials,
            stationary / 10, 0.5, defaults, true, false);
        // Evidently's small-sample default (KS at p < 0.05) alarms on about 5% of stationary windows by
        // construction; the third scenario shows the same small windows with a stricter KS threshold.
        Scenario small = new Scenario("profile_1000_window_200", 1000, 200, trials, stationary, 0.5, defaults,
            false, true);
        Scenario strict = new Scenario("profile_1000_window_200_ks_p_0.005", 1000, 200, trials, stationary, 0.5,
            defaults.withThreshold(DriftMethod.KS, 0.005), false, true);

        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("harness", "drift");
        root.put("commit", commit());
        root.put("jdk", System.getProperty("java.version"));
        root.put("cores", Runtime.getRuntime().availableProcessors());
        ObjectNode params = root.putObject("params");
        params.put("seed", seed);
        params.put("quick", quick);
        params.put("distribution", "N(0,1), shifted to N(shift,1) at a window boundary");
        params.put("shift_sigma", main.shift());
        params.put("max_shifted_windows", MAX_SHIFTED_WINDOWS);
        params.put("headline_scenario", main.name());
        params.put("headline_method", "default (Evidently-style choice: normalised Wasserstein, threshold 0.1, for a reference of more than 1000 values)");

        ObjectNode results = root.putObject("results");
        ObjectNode scenarios = results.putObject("scenarios");
        Score headline = null;
        for (Scenario s : List.of(main, mid, small, strict)) {
            ObjectNode sn = scenarios.putObject(s.name());
            sn.put("reference_size", s.referenceSize());
            sn.put("window_size", s.windowSize());
            sn.put("delay_trials", s.delayTrials());
            sn.put("stationary_windows", s.stationaryWindows());
            sn.put("ks_threshold", s.policy().threshold(DriftMethod.KS));
            sn.put("change_mid_window", s.midWindow());
            List<DriftMethod> forced = new ArrayList<>();
            forced.add(null);
            if (s.allMethods()) {
                forced.addAll(Arrays.asList(DriftMethod.KS, DriftMethod.PSI, DriftMethod.JENSEN_SHANNON,
                    DriftMethod.WASSERSTEIN));
            }
            for (DriftMethod m : forced) {
                Score score = score(s, m, seed);
                String key = m == null ? "default" : m.id();
                ObjectNode mn = sn.putObject(key);
                write(mn, score);
                if (m == null) {
                    mn.put("method_chosen", defaultMethodName(s));
                }
                if (m == null && s == main) {
                    headline = score;
                }
            }
        }
        results.put("detection_delay_windows", mean(headline.delays));
        results.put("detection_delay_windows_max", max(headline.delays));
        results.put("detected_within_2_windows", within(headline.delays, 2, headline.missed));
        results.put("missed", headline.missed);
        results.put("false_alarm_rate", headline.falseAlarmRate());
        results.put("false_alarm_windows", headline.windows);
        results.put("false_alarm_rate_upper_95", upper95(headline.falseAlarms, headline.windows));
        results.put("statistic_stationary_mean", mean(headline.stationaryValues));
        results.put("statistic_first_shifted_window_mean", mean(headline.firstShiftedValues));
        root.putObject("reference");
        root.putObject("ratio");
        return root;
    }

    private static String defaultMethodName(Scenario s) {
        return s.referenceSize() <= DriftPolicy.defaults().smallSampleLimit() ? DriftMethod.KS.id() : DriftMethod.WASSERSTEIN.id();
    }

    static Score score(Scenario s, DriftMethod method, long seed) {
        DriftPolicy policy = s.policy();
        if (method != null) {
            policy = policy.withMethodForAll(method);
        }
        DriftEvaluator evaluator = new DriftEvaluator(policy);
        // The same seed for every method: all methods see exactly the same streams.
        Random random = new Random(seed ^ s.name().hashCode());
        NumericSketch reference = new NumericSketch();
        for (int i = 0; i < s.referenceSize(); i++) {
            reference.update(random.nextGaussian());
        }
        Cdf ref = reference.cdf();
        NumericSketch window = reference.binning() == null
            ? new NumericSketch(s.windowSize(), NumericSketch.DEFAULT_BINS)
            : new NumericSketch(s.windowSize(), reference.binning());
        Score score = new Score();
        for (int t = 0; t < s.delayTrials(); t++) {
            int before = 5 + random.nextInt(11);
            Integer delay = null;
            // Samples from index changeAt on are shifted; the window containing it is window "before".
            int changeAt = before * s.windowSize() + (s.midWindow() ? random.nextInt(s.windowSize()) : 0);
            for (int w = 0; w < before + MAX_SHIFTED_WINDOWS && delay == null; w++) {
                boolean shifted = w >= before;
                fill(window, random, s.windowSize(), w * s.windowSize(), changeAt, s.shift());
                DriftTestResult r = evaluator.numeric("x", ref, window.cdf());
                if (!shifted) {
                    score.windows++;
                    if (r.drifted()) {
                        score.falseAlarms++;
                    }
                    score.stationaryValues.add(r.value());
                } else {
                    if (w == before) {
                        score.firstShiftedValues.add(r.value());
                    }
                    if (r.drifted()) {
                        delay = w - before + 1;
                    }
                }
            }
            if (delay == null) {
                score.missed++;
            } else {
                score.delays.add(delay);
            }
        }
        for (int w = 0; w < s.stationaryWindows(); w++) {
            fill(window, random, s.windowSize(), 0, Integer.MAX_VALUE, 0.0);
            DriftTestResult r = evaluator.numeric("x", ref, window.cdf());
            score.windows++;
            if (r.drifted()) {
                score.falseAlarms++;
            }
            score.stationaryValues.add(r.value());
        }
        return score;
    }

    /** One window of samples {@code first .. first + n - 1}; those at or after {@code changeAt} are shifted. */
    private static void fill(NumericSketch window, Random random, int n, int first, int changeAt, double shift) {
        window.reset();
        for (int i = 0; i < n; i++) {
            window.update((first + i >= changeAt ? shift : 0.0) + random.nextGaussian());
        }
    }

    private static void write(ObjectNode n, Score s) {
        n.put("detection_delay_windows", mean(s.delays));
        n.put("detection_delay_windows_max", max(s.delays));
        n.put("detected_within_2_windows", within(s.delays, 2, s.missed));
        n.put("missed", s.missed);
        n.put("false_alarm_rate", s.falseAlarmRate());
        n.put("false_alarms", s.falseAlarms);
        n.put("windows", s.windows);
        n.put("false_alarm_rate_upper_95", upper95(s.falseAlarms, s.windows));
        n.put("statistic_stationary_mean", mean(s.stationaryValues));
        n.put("statistic_stationary_p99", percentile(s.stationaryValues, 0.99));
        n.put("statistic_first_shifted_window_mean", mean(s.firstShiftedValues));
    }

    /** Undefined figures (a mean of nothing) become JSON null rather than the string "NaN". */
    static void nanToNull(ObjectNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode child = node.get(name);
            if (child instanceof ObjectNode o) {
                nanToNull(o);
            } else if (child.isDouble() && !Double.isFinite(child.doubleValue())) {
                node.putNull(name);
            }
        }
    }

    static double mean(List<? extends Number> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        double s = 0;
        for (Number x : xs) {
            s += x.doubleValue();
        }
        return s / xs.size();
    }

    static int max(List<Integer> xs) {
        int m = 0;
        for (int x : xs) {
            m = Math.max(m, x);
        }
        return m;
    }

    static double within(List<Integer> delays, int limit, int missed) {
        int n = delays.size() + missed;
        if (n == 0) {
            return Double.NaN;
        }
        int ok = 0;
        for (int d : delays) {
            if (d <= limit) {
                ok++;
            }
        }
        return (double) ok / n;
    }

    static double percentile(List<Double> xs, double q) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        double[] a = new double[xs.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = xs.get(i);
        }
        Arrays.sort(a);
        return a[Math.min(a.length - 1, (int) Math.floor(q * a.length))];
    }

    /** One-sided 95% upper bound of a rate with k events in n trials (Clopper-Pearson for k = 0: 1 - 0.05^(1/n)). */
    static double upper95(long k, long n) {
        if (n == 0) {
            return Double.NaN;
        }
        if (k == 0) {
            return 1 - Math.pow(0.05, 1.0 / n);
        }
        double p = (double) k / n;
        return Math.min(1.0, p + 1.645 * Math.sqrt(p * (1 - p) / n));
    }

    private static String commit() {
        String given = System.getProperty("sextant.bench.commit");
        if (given != null && !given.isBlank()) {
            return given; // benchmarks/run passes the commit, marked +dirty when the tree has changes
        }
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            try (InputStream in = p.getInputStream()) {
                String s = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                return p.waitFor() == 0 ? s : "unknown";
            }
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
