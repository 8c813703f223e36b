package io.sextant.collector.mlops.monitor;

import io.sextant.collector.mlops.sketch.CategoricalSketch;
import io.sextant.collector.mlops.sketch.NumericSketch;

/**
 * Limits and window sizes of a {@link ModelMonitor}.
 *
 * <p>Memory bound: per feature of a version, {@code (trailingWindows + 1)} sketches of about {@code 8 *
 * exactCapacity + 8 * bins} bytes (numeric) or {@code ~24 * categoryCapacity} bytes (categorical). With
 * the defaults that is about 50 KB per numeric feature, so 64 features of 32 versions stay under 110 MB;
 * lower {@code exactCapacity} or {@code trailingWindows} for more.
 *
 * @param windowMs               window length, event-time milliseconds
 * @param retainedSummaries      closed-window summaries kept per version
 * @param trailingWindows        closed windows merged into a trailing (or version-window) reference
 * @param maxVersions            model versions tracked at once; records for more are dropped and counted
 * @param maxFeaturesPerVersion  features per version; more are dropped and counted
 * @param exactCapacity          values a numeric sketch keeps exactly before switching to bins
 * @param bins                   histogram bins of a numeric sketch
 * @param categoryCapacity       categories a categorical sketch counts before "other"
 * @param minWindowCount         windows with fewer inferences are summarised but not tested for drift
 */
public record MonitorSettings(long windowMs, int retainedSummaries, int trailingWindows, int maxVersions,
                              int maxFeaturesPerVersion, int exactCapacity, int bins, int categoryCapacity,
                              int minWindowCount) {

    public static MonitorSettings defaults() {
        return new MonitorSettings(300_000L, 288, 4, 32, 64, NumericSketch.DEFAULT_EXACT_CAPACITY,
            NumericSketch.DEFAULT_BINS, CategoricalSketch.DEFAULT_CAPACITY, 30);
    }

    public MonitorSettings withWindowMs(long ms) {
        return new MonitorSettings(ms, retainedSummaries, trailingWindows, maxVersions, maxFeaturesPerVersion,
            exactCapacity, bins, categoryCapacity, minWindowCount);
    }

    public MonitorSettings withTrailingWindows(int n) {
        return new MonitorSettings(windowMs, retainedSummaries, n, maxVersions, maxFeaturesPerVersion,
            exactCapacity, bins, categoryCapacity, minWindowCount);
    }
}
