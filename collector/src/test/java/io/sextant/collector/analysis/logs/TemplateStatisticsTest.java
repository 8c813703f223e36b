package io.sextant.collector.analysis.logs;

import io.sextant.collector.analysis.anomaly.Severity;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateStatisticsTest {

    private static final int INFO = 3;
    private static final int ERROR = 5;
    private static final int FATAL = 6;
    private static final long MINUTE = 60_000;
    private static final long T0 = 1_700_000_000_000L - Math.floorMod(1_700_000_000_000L, MINUTE);

    private final List<LogAnomaly> anomalies = new ArrayList<>();
    private final TemplateStatistics stats = new TemplateStatistics("checkout",
            new TemplateStatistics.Config(MINUTE, 30, 10, 5 * MINUTE, 6.0, 10, 5.0, 0.9),
            id -> "template " + id, anomalies::add);

    /**
     * Feeds minutes {@code from} (inclusive) to {@code to} (exclusive) in time order; {@code perMinute[t]} lines of
     * template {@code t} per minute at {@code levels[t]}.
     */
    private void minutes(int from, int to, int[] perMinute, int[] levels) {
        for (int m = from; m < to; m++) {
            for (int t = 0; t < perMinute.length; t++) {
                for (int i = 0; i < perMinute[t]; i++) {
                    stats.record(t, levels[t], T0 + m * MINUTE + (long) i * (MINUTE / perMinute[t]));
                }
            }
        }
    }

    private void steady(int templateId, int startMinute, int minutes, int perMinute, int level) {
        int[] counts = new int[templateId + 1];
        int[] levels = new int[templateId + 1];
        counts[templateId] = perMinute;
        levels[templateId] = level;
        minutes(startMinute, startMinute + minutes, counts, levels);
    }

    private List<LogAnomaly> of(LogAnomaly.Kind kind) {
        return anomalies.stream().filter(a -> a.kind() == kind).toList();
    }

    @Test
    void reportsTemplateNeverSeenBeforeAtErrorLevelAfterWarmUp() {
        steady(0, 0, 20, 10, INFO);
        stats.record(1, ERROR, T0 + 20 * MINUTE + 5);
        stats.record(1, ERROR, T0 + 20 * MINUTE + 6);
        stats.record(2, FATAL, T0 + 20 * MINUTE + 7);

        List<LogAnomaly> found = of(LogAnomaly.Kind.NEW_ERROR_TEMPLATE);
        assertThat(found).hasSize(2);
        LogAnomaly first = found.get(0);
        assertThat(first.templateId()).isEqualTo(1);
        assertThat(first.template()).isEqualTo("template 1");
        assertThat(first.service()).isEqualTo("checkout");
        assertThat(first.startMillis()).isEqualTo(T0 + 20 * MINUTE + 5);
        assertThat(first.severity()).isEqualTo(Severity.of(first.score()));
        assertThat(first.id()).isEqualTo("log:checkout:new_error_template:1:" + (T0 + 20 * MINUTE + 5));
        assertThat(found.get(1).templateId()).isEqualTo(2);
        assertThat(found.get(1).score()).isGreaterThan(first.score());
    }

    @Test
    void newTemplatesDuringWarmUpOrBelowErrorAreNotAnomalies() {
        stats.record(0, ERROR, T0);
        stats.record(1, ERROR, T0 + MINUTE);
        steady(2, 1, 10, 5, INFO);
        stats.record(3, INFO, T0 + 11 * MINUTE);
        stats.record(0, ERROR, T0 + 12 * MINUTE); // known template, not new

        assertThat(of(LogAnomaly.Kind.NEW_ERROR_TEMPLATE)).isEmpty();
    }

    @Test
    void reportsRateSpikeWhenTheWindowCloses() {
        steady(0, 0, 20, 10, INFO);
        steady(0, 20, 1, 200, INFO);
        assertThat(of(LogAnomaly.Kind.RATE_SPIKE)).isEmpty(); // window still open
        stats.advance(T0 + 21 * MINUTE);

        List<LogAnomaly> spikes = of(LogAnomaly.Kind.RATE_SPIKE);
        assertThat(spikes).hasSize(1);
        LogAnomaly spike = spikes.get(0);
        assertThat(spike.templateId()).isZero();
        assertThat(spike.observed()).isEqualTo(200);
        assertThat(spike.expected()).isEqualTo(10);
        assertThat(spike.startMillis()).isEqualTo(T0 + 20 * MINUTE);
        assertThat(spike.endMillis()).isEqualTo(T0 + 21 * MINUTE - 1);
        assertThat(spike.score()).isBetween(0.9, 1.0);
        assertThat(of(LogAnomaly.Kind.ERROR_BURST)).isEmpty(); // INFO lines are not errors
    }

    @Test
    void ordinaryVariationIsNotASpike() {
        for (int m = 0; m < 40; m++) {
            minutes(m, m + 1, new int[] {8 + (m % 5)}, new int[] {INFO});
        }
        stats.advance(T0 + 40 * MINUTE); // closes minute 39, the last one with lines

        assertThat(anomalies).isEmpty();
    }

    @Test
    void reportsSteadyTemplateThatVanishesOnce() {
        minutes(0, 20, new int[] {10, 10}, new int[] {INFO, INFO});
        minutes(20, 25, new int[] {0, 10}, new int[] {INFO, INFO}); // template 1 keeps the service alive
        stats.advance(T0 + 25 * MINUTE);

        List<LogAnomaly> vanished = of(LogAnomaly.Kind.RATE_VANISHED);
        assertThat(vanished).hasSize(1);
        assertThat(vanished.get(0).templateId()).isZero();
        assertThat(vanished.get(0).startMillis()).isEqualTo(T0 + 20 * MINUTE);
        assertThat(vanished.get(0).expected()).isEqualTo(10);
        assertThat(vanished.get(0).score()).isGreaterThan(0.99);
        assertThat(of(LogAnomaly.Kind.RATE_SPIKE)).isEmpty();
    }

    @Test
    void rareTemplateMissingFromAWindowIsNotVanishing() {
        for (int m = 0; m < 25; m++) {
            minutes(m, m + 1, new int[] {m % 3 == 0 ? 6 : 0, 10}, new int[] {INFO, INFO});
        }
        stats.advance(T0 + 25 * MINUTE);
        assertThat(of(LogAnomaly.Kind.RATE_VANISHED)).isEmpty();
    }

    @Test
    void reportsErrorBurstNamingTheTopErrorTemplate() {
        int[] levels = {INFO, ERROR, ERROR};
        minutes(0, 20, new int[] {10, 1, 0}, levels);
        minutes(20, 21, new int[] {10, 20, 25}, levels);
        stats.advance(T0 + 21 * MINUTE);

        List<LogAnomaly> bursts = of(LogAnomaly.Kind.ERROR_BURST);
        assertThat(bursts).hasSize(1);
        assertThat(bursts.get(0).observed()).isEqualTo(45);
        assertThat(bursts.get(0).expected()).isEqualTo(1);
        assertThat(bursts.get(0).templateId()).isEqualTo(2);
        assertThat(bursts.get(0).template()).isEqualTo("template 2");
    }

    @Test
    void keepsCountsLevelMixFirstSeenAndTrend() {
        steady(0, 0, 3, 4, INFO);
        stats.record(0, ERROR, T0 + 3 * MINUTE + 1);
        stats.record(0, INFO, T0 + 3 * MINUTE + 2);

        TemplateStats s = stats.stats(0);
        assertThat(s.total()).isEqualTo(14);
        assertThat(s.firstSeenMillis()).isEqualTo(T0);
        assertThat(s.lastSeenMillis()).isEqualTo(T0 + 3 * MINUTE + 2);
        assertThat(s.byLevel()[INFO]).isEqualTo(13);
        assertThat(s.byLevel()[ERROR]).isEqualTo(1);
        assertThat(s.windowCounts()).containsExactly(4, 4, 4, 2);
        assertThat(s.trend()).isEqualTo(-0.5);
        assertThat(stats.stats(7)).isNull();
    }

    @Test
    void ignoresOverflowedLines() {
        stats.record(TemplateMiner.OVERFLOW, ERROR, T0);
        assertThat(stats.templateIds()).isZero();
        assertThat(anomalies).isEmpty();
    }
}
