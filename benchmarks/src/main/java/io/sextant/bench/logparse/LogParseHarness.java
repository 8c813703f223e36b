package io.sextant.bench.logparse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sextant.collector.analysis.logs.TemplateMiner;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code benchmarks/run logparse [--data DIR] [--out DIR] [--quick] [--explain] [--shuffle SEED]}: mines templates from every Loghub-2k
 * dataset in {@code DIR} with one miner configuration, writes {@code <out>/<Dataset>_2k.log_structured.csv}, scores
 * GA/PA/FGA/FTA against the corrected (Loghub-2.0) ground truth where present and the original one otherwise (both
 * are reported), measures single-thread lines/s of the miner alone, and writes and prints
 * {@code benchmarks/results/logparse.json}.
 *
 * <p>Dataset layout: {@code DIR/<Dataset>/<Dataset>_2k.log}, {@code <Dataset>_2k.log_structured.csv} (original ground
 * truth) and optionally {@code loghub-2.0/<Dataset>_2k.log_structured_corrected.csv}. The header layout of each
 * file comes from {@code DIR/<Dataset>/log_format.txt} when present, else the standard Loghub format for that dataset
 * name, else the whole line is the message. Header parsing is the only per-dataset input; the miner never sees
 * ground truth. {@code --explain} prints every ground-truth group not reproduced exactly (to stderr);
 * {@code --shuffle SEED} feeds each dataset's lines in a seeded random order (scores still per input line).
 */
public final class LogParseHarness {

    private static final String DEFAULT_DATA = "/work/shared/datasets/loghub2k";

    private LogParseHarness() {
    }

    public static void main(String[] args) throws IOException {
        Path data = Paths.get(DEFAULT_DATA);
        Path out = Paths.get("benchmarks/results/logparse");
        boolean quick = false;
        boolean explain = false;
        long shuffleSeed = 0;
        Path summary = Paths.get("benchmarks/results/logparse.json");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Paths.get(args[++i]);
                case "--out" -> out = Paths.get(args[++i]);
                case "--quick" -> quick = true;
                case "--explain" -> explain = true;
                case "--shuffle" -> shuffleSeed = Long.parseLong(args[++i]);
                case "--summary" -> summary = Paths.get(args[++i]);
                default -> {
                    System.err.println("usage: logparse [--data DIR] [--out DIR] [--quick] [--explain] [--shuffle SEED] [--summary FILE]");
                    System.exit(2);
                }
            }
        }
        Files.createDirectories(out);
        List<Dataset> datasets = load(data);
        if (datasets.isEmpty()) {
            System.err.println("no <Dataset>/<Dataset>_2k.log under " + data);
            System.exit(1);
        }

        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode results = json.createObjectNode();
        ObjectNode original = json.createObjectNode();
        Map<String, ParseScores> primary = new TreeMap<>();
        Map<String, ParseScores> correctedOnly = new TreeMap<>();
        Map<String, ParseScores> originalScores = new TreeMap<>();
        ObjectNode truthUsed = json.createObjectNode();
        for (Dataset d : datasets) {
            TemplateMiner miner = new TemplateMiner();
            int[] ids = new int[d.contents.size()];
            int[] order = order(ids.length, shuffleSeed);
            for (int i : order) {
                ids[i] = miner.match(d.contents.get(i));
            }
            for (int i = 0; i < ids.length; i++) {
                ids[i] = miner.resolve(ids[i]); // templates folded into others since the line was matched
            }
            List<String> groups = new ArrayList<>(ids.length);
            List<String> templates = new ArrayList<>(ids.length);
            for (int id : ids) {
                groups.add(id == TemplateMiner.OVERFLOW ? "overflow" : "T" + id);
                templates.add(id == TemplateMiner.OVERFLOW ? "" : miner.templateText(id));
            }
            writeStructured(out.resolve(d.name + "_2k.log_structured.csv"), d.contents, groups, templates);

            ParseScores orig = d.original.score(groups, templates);
            originalScores.put(d.name, orig);
            original.set(d.name, scores(json, orig));
            GroundTruth main = d.corrected != null ? d.corrected : d.original;
            ParseScores p = main.score(groups, templates);
            primary.put(d.name, p);
            if (d.corrected != null) {
                correctedOnly.put(d.name, p);
            }
            ObjectNode node = scores(json, p);
            node.put("ground_truth", d.corrected != null ? "corrected" : "original");
            node.put("templates", p.predictedGroups());
            node.put("truth_templates", p.truthGroups());
            results.set(d.name, node);
            if (explain) {
                main.explain(d.name, d.contents, groups, templates, System.err);
            }
        }
        results.set("average", average(json, primary));
        ObjectNode corrected = average(json, correctedOnly);
        corrected.put("datasets", correctedOnly.size());
        results.set("average_corrected_only", corrected);
        original.set("average", average(json, originalScores));
        double[] speed = throughput(datasets, quick);
        results.put("lines_per_s", Math.round(speed[0]));
        results.put("lines_per_cpu_s", Math.round(speed[1]));
        results.put("hit_path_bytes_per_line", round(hitPathBytesPerLine(datasets)));
        results.set("original_ground_truth", original);

        ObjectNode root = json.createObjectNode();
        root.put("harness", "logparse");
        root.put("commit", commit());
        root.put("jdk", System.getProperty("java.version"));
        root.put("cores", Runtime.getRuntime().availableProcessors());
        ObjectNode params = root.putObject("params");
        params.put("data", data.toString());
        params.put("out", out.toString());
        params.put("quick", quick);
        params.put("shuffle_seed", shuffleSeed);
        params.put("datasets", datasets.size());
        params.put("miner", "TemplateMiner defaults (one configuration for every dataset)");
        params.put("primary_ground_truth", "loghub-2.0 corrected where present, else original");
        params.put("grouping", "GA/FGA group the original ground truth by EventId and the corrected one by template"
                + " text (as the Loghub and Loghub-2.0 evaluators do); predicted groups are template ids");
        root.set("results", results);
        ObjectNode reference = root.putObject("reference");
        reference.put("Drain_GA_original", 0.866);
        reference.put("Drain_PA_corrected", 0.32);
        ObjectNode ratio = root.putObject("ratio");
        ratio.put("GA_original_vs_Drain", round(originalAverage(originalScores, true) / 0.866));
        ratio.put("PA_corrected_only_vs_Drain", round(averageOf(correctedOnly, true) / 0.32));
        reference.put("note", "published Loghub-2k figures (Zhu et al. 2019; Jiang et al. 2024) over their own dataset"
                + " sets, not measured in this run");

        Path parent = summary.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        json.writeValue(summary.toFile(), root);
        System.out.println(json.writeValueAsString(root));
    }

    /** Input order, or a seeded shuffle of it (to check that the online miner does not depend on line order). */
    private static int[] order(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (seed != 0) {
            java.util.Random random = new java.util.Random(seed);
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    private static double originalAverage(Map<String, ParseScores> scores, boolean ga) {
        return averageOf(scores, !ga);
    }

    private static double averageOf(Map<String, ParseScores> scores, boolean pa) {
        double sum = 0;
        for (ParseScores s : scores.values()) {
            sum += pa ? s.pa() : s.ga();
        }
        return scores.isEmpty() ? 0 : sum / scores.size();
    }

    private static ObjectNode average(ObjectMapper json, Map<String, ParseScores> scores) {
        double ga = 0, pa = 0, fga = 0, fta = 0;
        for (ParseScores s : scores.values()) {
            ga += s.ga();
            pa += s.pa();
            fga += s.fga();
            fta += s.fta();
        }
        int n = Math.max(1, scores.size());
        ObjectNode node = json.createObjectNode();
        node.put("GA", round(ga / n));
        node.put("PA", round(pa / n));
        node.put("FGA", round(fga / n));
        node.put("FTA", round(fta / n));
        return node;
    }

    private static ObjectNode scores(ObjectMapper json, ParseScores s) {
        ObjectNode node = json.createObjectNode();
        node.put("GA", round(s.ga()));
        node.put("PA", round(s.pa()));
        node.put("FGA", round(s.fga()));
        node.put("FTA", round(s.fta()));
        return node;
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    /**
     * Single-thread speed of the miner alone (a fresh miner per dataset per round, contents already in memory):
     * lines per wall-clock second, and lines per second of this thread's CPU time (steadier on a shared machine).
     */
    private static double[] throughput(List<Dataset> datasets, boolean quick) {
        int warmups = quick ? 5 : 30;
        int rounds = quick ? 5 : 50;
        long sink = 0;
        for (int r = 0; r < warmups; r++) {
            sink += runAll(datasets);
        }
        long lines = 0;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            sink += runAll(datasets);
            for (Dataset d : datasets) {
                lines += d.contents.size();
            }
        }
        long elapsed = System.nanoTime() - start;
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        if (sink == 42) {
            System.err.print("");
        }
        return new double[] {lines * 1e9 / elapsed, cpu > 0 ? lines * 1e9 / cpu : 0};
    }

    /**
     * Bytes allocated per line once every line's template is known (the steady state: the hash-table hit path),
     * from the JVM's per-thread allocation counter.
     */
    private static double hitPathBytesPerLine(List<Dataset> datasets) {
        if (!(java.lang.management.ManagementFactory.getThreadMXBean()
                instanceof com.sun.management.ThreadMXBean threads)) {
            return -1;
        }
        long lines = 0;
        long bytes = 0;
        for (Dataset d : datasets) {
            TemplateMiner miner = new TemplateMiner();
            List<String> contents = d.contents;
            for (int r = 0; r < 3; r++) { // learn, then warm the hit path
                for (int i = 0, n = contents.size(); i < n; i++) {
                    miner.match(contents.get(i));
                }
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0, n = contents.size(); i < n; i++) {
                miner.match(contents.get(i));
            }
            bytes += threads.getCurrentThreadAllocatedBytes() - before;
            lines += contents.size();
        }
        return (double) bytes / lines;
    }

    private static long runAll(List<Dataset> datasets) {
        long sum = 0;
        for (Dataset d : datasets) {
            TemplateMiner miner = new TemplateMiner();
            List<String> contents = d.contents;
            for (int i = 0, n = contents.size(); i < n; i++) {
                sum += miner.match(contents.get(i));
            }
        }
        return sum;
    }

    private static void writeStructured(Path file, List<String> contents, List<String> groups, List<String> templates)
            throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("LineId,Content,EventId,EventTemplate\n");
            for (int i = 0; i < contents.size(); i++) {
                w.write(Integer.toString(i + 1));
                w.write(',');
                w.write(Csv.quote(contents.get(i)));
                w.write(',');
                w.write(groups.get(i));
                w.write(',');
                w.write(Csv.quote(templates.get(i)));
                w.write('\n');
            }
        }
    }

    /** The commit benchmarks/run passes ({@code -Dsextant.bench.commit}, with "+dirty"), else git's. */
    private static String commit() {
        String given = System.getProperty("sextant.bench.commit");
        if (given != null && !given.isBlank()) {
            return given;
        }
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? s : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static List<Dataset> load(Path data) throws IOException {
        List<Dataset> out = new ArrayList<>();
        List<Path> dirs;
        try (Stream<Path> s = Files.list(data)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        for (Path dir : dirs) {
            String name = dir.getFileName().toString();
            Path log = dir.resolve(name + "_2k.log");
            Path truth = dir.resolve(name + "_2k.log_structured.csv");
            if (!Files.isRegularFile(log) || !Files.isRegularFile(truth)) {
                continue;
            }
            Path formatFile = dir.resolve("log_format.txt");
            String format = Files.isRegularFile(formatFile)
                    ? Files.readString(formatFile, StandardCharsets.UTF_8).trim()
                    : LogFormat.LOGHUB.getOrDefault(name, "<Content>");
            LogFormat logFormat = new LogFormat(format);
            List<String> contents = new ArrayList<>();
            int unparsed = 0;
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
                if (l.isBlank()) {
                    continue;
                }
                String content = logFormat.content(l);
                if (content == null) {
                    unparsed++;
                    content = l;
                }
                contents.add(content);
            }
            GroundTruth original = GroundTruth.read(truth, false);
            Path correctedFile = dir.resolve("loghub-2.0").resolve(name + "_2k.log_structured_corrected.csv");
            GroundTruth corrected = Files.isRegularFile(correctedFile) ? GroundTruth.read(correctedFile, true) : null;
            if (original.size() != contents.size() || (corrected != null && corrected.size() != contents.size())) {
                System.err.println(name + ": " + contents.size() + " lines but ground truth has " + original.size()
                        + (corrected != null ? " / " + corrected.size() : "") + "; skipped");
                continue;
            }
            int differing = original.contentMismatches(contents);
            if (unparsed > 0 || differing > 0) {
                System.err.println(name + ": " + unparsed + " lines did not fit the header format, " + differing
                        + " contents differ from the ground truth's Content column");
            }
            out.add(new Dataset(name, contents, original, corrected));
        }
        return out;
    }

    private record Dataset(String name, List<String> contents, GroundTruth original, GroundTruth corrected) {
    }

    /** One ground-truth file: per line the group key, the template and the content. */
    private record GroundTruth(List<String> groups, List<String> templates, List<String> contents) {

        /**
         * The original files are grouped by EventId (as the Loghub evaluator does); the corrected files by template
         * text (as the Loghub-2.0 evaluator does).
         */
        static GroundTruth read(Path file, boolean byTemplate) throws IOException {
            List<List<String>> rows = Csv.read(file);
            List<String> header = rows.get(0);
            int id = header.indexOf("EventId");
            int template = header.indexOf("EventTemplate");
            int content = header.indexOf("Content");
            List<String> groups = new ArrayList<>();
            List<String> templates = new ArrayList<>();
            List<String> contents = new ArrayList<>();
            for (List<String> row : rows.subList(1, rows.size())) {
                String t = row.get(template);
                templates.add(t);
                groups.add(byTemplate ? ParseScores.normalise(t) : row.get(id));
                contents.add(content >= 0 ? row.get(content) : "");
            }
            return new GroundTruth(groups, templates, contents);
        }

        int size() {
            return groups.size();
        }

        ParseScores score(List<String> predictedGroups, List<String> predictedTemplates) {
            return ParseScores.score(groups, templates, predictedGroups, predictedTemplates);
        }

        int contentMismatches(List<String> extracted) {
            int n = 0;
            for (int i = 0; i < extracted.size(); i++) {
                if (!ParseScores.normalise(extracted.get(i)).equals(ParseScores.normalise(contents.get(i)))) {
                    n++;
                }
            }
            return n;
        }

        /** Development aid: prints every ground-truth group that was not reproduced exactly. */
        void explain(String name, List<String> lines, List<String> predictedGroups, List<String> predictedTemplates,
                     PrintStream err) {
            Map<String, Map<String, Integer>> truthToPred = new LinkedHashMap<>();
            Map<String, Map<String, Integer>> predToTruth = new LinkedHashMap<>();
            Map<String, String> sample = new LinkedHashMap<>();
            for (int i = 0; i < lines.size(); i++) {
                String key = groups.get(i) + " | " + templates.get(i);
                truthToPred.computeIfAbsent(key, k -> new LinkedHashMap<>())
                        .merge(predictedGroups.get(i) + " " + predictedTemplates.get(i), 1, Integer::sum);
                predToTruth.computeIfAbsent(predictedGroups.get(i), k -> new LinkedHashMap<>()).merge(key, 1, Integer::sum);
                sample.putIfAbsent(key, lines.get(i));
            }
            for (Map.Entry<String, Map<String, Integer>> e : truthToPred.entrySet()) {
                Map<String, Integer> preds = e.getValue();
                String truthTemplate = e.getKey().substring(e.getKey().indexOf(" | ") + 3);
                boolean ok = preds.size() == 1;
                String pred = preds.keySet().iterator().next();
                String predGroup = pred.substring(0, pred.indexOf(' '));
                ok = ok && predToTruth.get(predGroup).size() == 1;
                boolean textOk = ok && ParseScores.normalise(pred.substring(pred.indexOf(' ') + 1))
                        .equals(ParseScores.normalise(truthTemplate));
                if (!ok || !textOk) {
                    err.println("[" + name + "] " + (ok ? "TEXT " : "GROUP") + " truth: " + e.getKey());
                    err.println("      e.g. " + sample.get(e.getKey()));
                    for (Map.Entry<String, Integer> p : preds.entrySet()) {
                        err.println("      " + p.getValue() + " x " + p.getKey()
                                + (predToTruth.get(p.getKey().substring(0, p.getKey().indexOf(' '))).size() > 1
                                ? "   (mixed)" : ""));
                    }
                }
            }
        }
    }
}
