package io.sextant.bench.nab;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads a folder in the NAB layout: {@code data/<category>/<file>.csv} and {@code labels/combined_windows.json}. */
final class NabCorpus {

    /** One series: its timestamps as written, as Unix milliseconds (UTC), its values and its label windows. */
    record Series(String category, String file, String[] timestamps, long[] millis, double[] values,
                  int[][] windows) {

        /** Key used in the labels file, e.g. {@code realTraffic/speed_7578.csv}. */
        String key() {
            return category + "/" + file;
        }

        int length() {
            return values.length;
        }

        boolean inWindow(int row) {
            for (int[] w : windows) {
                if (row >= w[0] && row <= w[1]) {
                    return true;
                }
            }
            return false;
        }
    }

    static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private NabCorpus() {
    }

    static long parseMillis(String timestamp) {
        return LocalDateTime.parse(timestamp.trim(), TIMESTAMP).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** Loads every series under {@code dir/data}, sorted by category and file name. */
    static List<Series> load(Path dir) throws IOException {
        Path labelsFile = dir.resolve("labels").resolve("combined_windows.json");
        Map<String, List<List<String>>> labels = new ObjectMapper().readValue(labelsFile.toFile(),
                new TypeReference<Map<String, List<List<String>>>>() { });
        List<Path> csvs;
        try (Stream<Path> s = Files.walk(dir.resolve("data"), 2)) {
            csvs = s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        List<Series> out = new ArrayList<>();
        for (Path csv : csvs) {
            String category = csv.getParent().getFileName().toString();
            String file = csv.getFileName().toString();
            out.add(read(csv, category, file, labels.getOrDefault(category + "/" + file, List.of())));
        }
        return out;
    }

    private static Series read(Path csv, String category, String file, List<List<String>> windowStrings)
            throws IOException {
        List<String> ts = new ArrayList<>();
        List<Double> vs = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String line = r.readLine(); // header: timestamp,value
            if (line == null) {
                throw new IOException(csv + ": empty file");
            }
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                int comma = line.indexOf(',');
                ts.add(line.substring(0, comma));
                vs.add(Double.parseDouble(line.substring(comma + 1).trim()));
            }
        }
        int n = ts.size();
        long[] millis = new long[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            millis[i] = parseMillis(ts.get(i));
            values[i] = vs.get(i);
        }
        int[][] windows = new int[windowStrings.size()][];
        for (int w = 0; w < windows.length; w++) {
            long start = parseMillis(windowStrings.get(w).get(0));
            long end = parseMillis(windowStrings.get(w).get(1));
            int first = -1;
            int last = -1;
            for (int i = 0; i < n; i++) {
                if (millis[i] >= start && millis[i] <= end) {
                    if (first < 0) {
                        first = i;
                    }
                    last = i;
                }
            }
            if (first < 0) {
                throw new IOException(csv + ": window " + windowStrings.get(w) + " holds no rows");
            }
            windows[w] = new int[] {first, last};
        }
        return new Series(category, file, ts.toArray(new String[0]), millis, values, windows);
    }
}
