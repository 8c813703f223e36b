package io.sextant.collector.analysis;

import java.util.Locale;

/**
 * Writes a value with its series' unit for a signal's one-sentence summary: nanoseconds as milliseconds or
 * seconds, bytes in binary units, ratios as percentages, three significant digits at most.
 */
final class Quantities {

    private Quantities() {
    }

    /** The value in the unit as people read it ({@code 812 ms}, {@code 1.5 GiB}, {@code 35%}). */
    static String format(double v, String unit) {
        if (!Double.isFinite(v)) {
            return "?";
        }
        String u = unit == null ? "" : unit;
        switch (u) {
            case "ns":
                return time(v / 1e6);
            case "us":
                return time(v / 1e3);
            case "ms":
                return time(v);
            case "s":
                return time(v * 1e3);
            case "bytes":
            case "By":
            case "B":
                return bytes(v);
            case "ratio":
                return number(v * 100) + "%";
            case "%":
                return number(v) + "%";
            case "":
            case "1":
                return number(v);
            default:
                return number(v) + " " + u;
        }
    }

    /** A per-second rate of a counter in the unit ({@code 12 ms/s}, {@code 3.4/s}). */
    static String rate(double v, String unit) {
        String u = unit == null ? "" : unit;
        if (u.isEmpty() || u.equals("1")) {
            return number(v) + "/s";
        }
        if (u.equals("bytes") || u.equals("By") || u.equals("B")) {
            return bytes(v) + "/s";
        }
        return number(v) + " " + u + "/s";
    }

    /** Whether the unit is a time (a latency or duration). */
    static boolean isTime(String unit) {
        return "ns".equals(unit) || "us".equals(unit) || "ms".equals(unit) || "s".equals(unit);
    }

    /** Milliseconds in the unit (for a latency threshold), NaN when the unit is not a time. */
    static double fromMillis(double millis, String unit) {
        switch (unit == null ? "" : unit) {
            case "ns":
                return millis * 1e6;
            case "us":
                return millis * 1e3;
            case "ms":
                return millis;
            case "s":
                return millis / 1e3;
            default:
                return Double.NaN;
        }
    }

    /** A duration such as {@code 14 min} or {@code 2.5 h}. */
    static String duration(long millis) {
        double s = millis / 1000.0;
        if (s < 120) {
            return number(s) + " s";
        }
        if (s < 7200) {
            return number(s / 60) + " min";
        }
        if (s < 172_800) {
            return number(s / 3600) + " h";
        }
        return number(s / 86_400) + " d";
    }

    private static String time(double ms) {
        double a = Math.abs(ms);
        if (a >= 1000) {
            return number(ms / 1000) + " s";
        }
        if (a > 0 && a < 0.1) {
            return number(ms * 1000) + " µs";
        }
        return number(ms) + " ms";
    }

    private static String bytes(double b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int i = 0;
        while (Math.abs(v) >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return number(v) + " " + units[i];
    }

    static String number(double v) {
        double a = Math.abs(v);
        String s;
        if (a >= 100 || v == Math.rint(v)) {
            s = String.format(Locale.ROOT, "%.0f", v);
        } else if (a >= 10) {
            s = String.format(Locale.ROOT, "%.1f", v);
        } else if (a >= 0.01) {
            s = String.format(Locale.ROOT, "%.2f", v);
        } else {
            s = String.format(Locale.ROOT, "%.3g", v);
        }
        if (s.contains(".") && !s.contains("e")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s.equals("-0") ? "0" : s;
    }
}
