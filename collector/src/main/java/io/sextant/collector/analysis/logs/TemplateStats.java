package io.sextant.collector.analysis.logs;

/**
 * An immutable snapshot of one template's statistics, for the API ({@code /api/v1/logs/templates}).
 *
 * @param templateId the template
 * @param firstSeenMillis time of its first line, Unix milliseconds
 * @param lastSeenMillis time of its latest line, Unix milliseconds
 * @param total lines so far
 * @param byLevel lines per level, indexed by the protocol's level code (0 unknown, 1 TRACE ... 6 FATAL)
 * @param windowCounts lines per closed window, oldest first, then the open window last
 * @param trend the open window's count relative to the closed windows' mean: {@code (current - mean) / max(1, mean)}
 */
public record TemplateStats(int templateId, long firstSeenMillis, long lastSeenMillis, long total, long[] byLevel,
                            long[] windowCounts, double trend) {

    public TemplateStats {
        byLevel = byLevel.clone();
        windowCounts = windowCounts.clone();
    }

    @Override
    public long[] byLevel() {
        return byLevel.clone();
    }

    @Override
    public long[] windowCounts() {
        return windowCounts.clone();
    }
}
