package io.sextant.bench.nab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sextant.collector.analysis.anomaly.SeriesDetector;
import io.sextant.collector.analysis.anomaly.SextantDetector;
import io.sextant.collector.analysis.anomaly.WindowedGaussianDetector;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code benchmarks/run nab [--data DIR] [--out DIR] [--quick]}: feeds every NAB series point by point to a
 * fresh detector (no look-ahead, no labels, one configuration for the corpus), writes NAB-format result files
 * under {@code <out>/<detector>/<category>/<detector>_<file>} ({@code <out>} defaults to
 * {@code benchmarks/results}), scores them with {@link NabScorer} for the three
 * profiles, measures cost per point and bytes per detector, evaluates forecasts, and writes
 * {@code benchmarks/results/nab.json}, which it also prints last.
 */
public final class NabHarness {

    static final Map<String, Supplier<SeriesDetector>> DETECTORS = new LinkedHashMap<>();

    static {
        DETECTORS.put(SextantDetector.NAME, SextantDetector::new);
        DETECTORS.put(WindowedGaussianDetector.NAME, WindowedGaussianDetector::new);
    }

    private NabHarness() {
    }

    public static void main(String[] args) throws Exception {
        Path root = repoRoot();
        Path data = root.resolve("../shared/datasets/nab").normalize();
        Path out = root.resolve("benchmarks/results");
        Path summary = root.resolve("benchmarks/results/nab.json");
        boolean quick = false;
        boolean writeFiles = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--summary" -> summary = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--no-files" -> writeFiles = false;
                default -> {
                    System.err.println("usage: nab [--data DIR] [--out DIR] [--summary FILE] [--quick] [--no-files]");
                    System.exit(2);
                }
            }
        }
        List<NabCorpus.Series> corpus = NabCorpus.load(data);
        if (quick) {
            corpus = quickSubset(corpus);
        }
        long points = 0;
        for (NabCorpus.Series s : corpus) {
            points += s.length();
        }

        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode results = json.createObjectNode();
        Map<String, Double> standard = new LinkedHashMap<>();
        for (Map.Entry<String, Supplier<SeriesDetector>> d : DETECTORS.entrySet()) {
            String name = d.getKey();
            // one pass to warm up the JIT, then the measured pass whose scores are kept
            run(corpus, d.getValue());
            long start = System.nanoTime();
            Run run = run(corpus, d.getValue());
            double usPerPoint = (System.nanoTime() - start) / 1000.0 / points;
            if (writeFiles) {
                writeResultFiles(out, name, corpus, run.scores);
            }
            List<NabScorer.ScoredFile> scored = new ArrayList<>();
            for (int i = 0; i < corpus.size(); i++) {
                scored.add(new NabScorer.ScoredFile(corpus.get(i).key(), run.scores.get(i), corpus.get(i).windows()));
            }
            ObjectNode r = results.putObject(name);
            ObjectNode thresholds = json.createObjectNode();
            ObjectNode counts = json.createObjectNode();
            for (NabProfile p : NabProfile.ALL) {
                NabScorer.Result res = NabScorer.score(scored, p);
                r.put(p.name(), round(res.normalized(), 2));
                thresholds.put(p.name(), res.threshold());
                counts.putObject(p.name()).put("tp", res.truePositives()).put("fp", res.falsePositives())
                        .put("fn", res.falseNegatives());
                if (p == NabProfile.STANDARD) {
                    standard.put(name, res.normalized());
                }
            }
            r.put("us_per_point", round(usPerPoint, 3));
            r.put("bytes_per_series", run.maxBytes);
            r.set("thresholds", thresholds);
            r.set("counts", counts);
        }
        ForecastEvaluation.Summary fc = ForecastEvaluation.evaluate(corpus);
        ObjectNode f = results.putObject("forecast");
        results.put("forecast_mase", Double.isNaN(fc.mase()) ? null : round(fc.mase(), 4));
        f.put("holt_winters", Double.isNaN(fc.mase()) ? null : round(fc.mase(), 4));
        f.put("holt_winters_median", Double.isNaN(fc.medianMase()) ? null : round(fc.medianMase(), 4));
        f.put("series", fc.series());
        f.put("horizon", fc.horizon());
        f.put("series_beating_seasonal_naive", fc.beating());
        // Time-to-threshold on synthetic leaking heap pools, through the collector's metric stage.
        LeakWarnings.Summary leaks = LeakWarnings.run(42, quick ? 5 : 40, quick ? 2 : 10);
        ObjectNode lw = results.putObject("time_to_threshold");
        lw.put("leaking_pools", leaks.leaks());
        lw.put("warned_before_full", leaks.warned());
        lw.put("lead_minutes_median", Double.isNaN(leaks.medianLeadMinutes()) ? null : round(leaks.medianLeadMinutes(), 1));
        lw.put("lead_minutes_min", Double.isNaN(leaks.minLeadMinutes()) ? null : round(leaks.minLeadMinutes(), 1));
        lw.put("lead_minutes_max", Double.isNaN(leaks.maxLeadMinutes()) ? null : round(leaks.maxLeadMinutes(), 1));
        lw.put("flat_pools", leaks.flatPools());
        lw.put("false_warnings", leaks.falseWarnings());

        ObjectNode top = json.createObjectNode();
        top.put("harness", "nab");
        String commit = System.getProperty("sextant.bench.commit");
        top.put("commit", commit != null && !commit.isBlank() ? commit : commit(root));
        top.put("jdk", System.getProperty("java.version"));
        top.put("cores", Runtime.getRuntime().availableProcessors());
        ObjectNode params = top.putObject("params");
        params.put("data", data.toAbsolutePath().normalize().toString());
        params.put("out", out.toAbsolutePath().normalize().toString());
        params.put("quick", quick);
        params.put("files", corpus.size());
        params.put("points", points);
        params.put("detectors", String.join(",", DETECTORS.keySet()));
        params.put("threshold", "optimised per detector and profile over the corpus");
        top.set("results", results);
        ObjectNode ref = top.putObject("reference");
        ref.put("ARTime", 74.9);
        ref.put("HTM", 70.5);
        ref.put("windowedGaussian_published", 39.6);
        ObjectNode ratio = top.putObject("ratio");
        Double sx = standard.get(SextantDetector.NAME);
        Double wg = standard.get(WindowedGaussianDetector.NAME);
        if (sx != null && wg != null && wg != 0.0) {
            ratio.put("sextant_over_windowedGaussian_standard", round(sx / wg, 3));
        }
        if (sx != null) {
            ratio.put("sextant_over_ARTime_standard", round(sx / 74.9, 3));
            ratio.put("sextant_over_HTM_standard", round(sx / 70.5, 3));
        }
        if (wg != null) {
            ratio.put("windowedGaussian_over_published_standard", round(wg / 39.6, 3));
        }
        String text = json.writeValueAsString(top);
        if (summary.getParent() != null) {
            Files.createDirectories(summary.getParent());
        }
        Files.writeString(summary, text + "\n", StandardCharsets.UTF_8);
        System.out.println(text);
    }

    private record Run(List<double[]> scores, long maxBytes) {
    }

    private static Run run(List<NabCorpus.Series> corpus, Supplier<SeriesDetector> factory) {
        List<double[]> all = new ArrayList<>(corpus.size());
        long maxBytes = 0;
        for (NabCorpus.Series s : corpus) {
            SeriesDetector det = factory.get();
            double[] scores = new double[s.length()];
            long[] t = s.millis();
            double[] v = s.values();
            for (int i = 0; i < scores.length; i++) {
                scores[i] = det.update(t[i], v[i]);
            }
            all.add(scores);
            maxBytes = Math.max(maxBytes, det.footprintBytes());
        }
        return new Run(all, maxBytes);
    }

    private static void writeResultFiles(Path out, String detector, List<NabCorpus.Series> corpus,
                                         List<double[]> scores) throws IOException {
        for (int k = 0; k < corpus.size(); k++) {
            NabCorpus.Series s = corpus.get(k);
            Path dir = out.resolve(detector).resolve(s.category());
            Files.createDirectories(dir);
            try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(detector + "_" + s.file()),
                    StandardCharsets.UTF_8)) {
                w.write("timestamp,value,anomaly_score,label\n");
                double[] sc = scores.get(k);
                for (int i = 0; i < sc.length; i++) {
                    w.write(s.timestamps()[i]);
                    w.write(',');
                    w.write(Double.toString(s.values()[i]));
                    w.write(',');
                    w.write(Double.toString(sc[i]));
                    w.write(',');
                    w.write(s.inWindow(i) ? '1' : '0');
                    w.write('\n');
                }
            }
        }
    }

    /** A few files from every category, enough for a smoke run that ends in seconds. */
    private static List<NabCorpus.Series> quickSubset(List<NabCorpus.Series> corpus) {
        Map<String, Integer> perCategory = new LinkedHashMap<>();
        List<NabCorpus.Series> out = new ArrayList<>();
        for (NabCorpus.Series s : corpus) {
            int n = perCategory.merge(s.category(), 1, Integer::sum);
            if (n <= 1) {
                out.add(s);
            }
        }
        return out;
    }

    private static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.isDirectory(q.resolve("benchmarks")) && Files.isRegularFile(q.resolve("pom.xml"))) {
                return q;
            }
        }
        return p;
    }

    private static String commit(Path root) {
        try {
            Process pr = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").directory(root.toFile())
                    .redirectErrorStream(true).start();
            String s = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return pr.waitFor() == 0 ? s : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
