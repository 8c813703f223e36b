package io.sextant.collector.analysis.anomaly;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnomalyTest {

    @Test
    void extendingKeepsThePeakAndCopiesLabels() {
        Map<String, String> labels = new HashMap<>(Map.of("service", "checkout"));
        Anomaly a = new Anomaly("a1", "heap_used{service=checkout}", labels, 1000, 1000, 0.6, 1, 2,
                Severity.of(0.6), SextantDetector.NAME);
        labels.put("service", "changed");
        assertThat(a.labels()).containsEntry("service", "checkout");
        Anomaly lower = a.extendTo(2000, 0.45, 3, 4);
        assertThat(lower.endMillis()).isEqualTo(2000);
        assertThat(lower.score()).isEqualTo(0.6);
        assertThat(lower.expectedLow()).isEqualTo(1);
        Anomaly higher = lower.extendTo(3000, 0.8, 5, 6);
        assertThat(higher.score()).isEqualTo(0.8);
        assertThat(higher.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(higher.expectedHigh()).isEqualTo(6);
    }

    @Test
    void rejectsScoresOutsideTheUnitIntervalAndInvertedSpans() {
        assertThatThrownBy(() -> new Anomaly("a", "s", Map.of(), 0, 0, 1.5, 0, 0, Severity.INFO, "d"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Anomaly("a", "s", Map.of(), 10, 5, 0.5, 0, 0, Severity.INFO, "d"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
