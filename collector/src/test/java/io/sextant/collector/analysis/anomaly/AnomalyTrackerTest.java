package io.sextant.collector.analysis.anomaly;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AnomalyTrackerTest {

    @Test
    void opensExtendsAndClosesWithReplayStableIds() {
        AnomalyTracker tr = new AnomalyTracker("heap_used{service=a}", Map.of("service", "a"), "sextant", 0.45, 3);
        assertThat(tr.update(1000, 0.1, 0, 1)).isNull();
        Anomaly opened = tr.update(2000, 0.5, 10, 20);
        assertThat(opened.id()).isEqualTo("heap_used{service=a}@2000");
        assertThat(opened.severity()).isEqualTo(Severity.WARNING);
        Anomaly extended = tr.update(3000, 0.8, 11, 21);
        assertThat(extended.id()).isEqualTo(opened.id());
        assertThat(extended.endMillis()).isEqualTo(3000);
        assertThat(extended.score()).isEqualTo(0.8);
        assertThat(extended.severity()).isEqualTo(Severity.CRITICAL);
        // two quiet points keep it open, the third closes it
        assertThat(tr.update(4000, 0.1, 0, 1)).isNull();
        assertThat(tr.update(5000, 0.1, 0, 1)).isNull();
        assertThat(tr.current()).isNotNull();
        assertThat(tr.update(6000, 0.1, 0, 1)).isNull();
        assertThat(tr.current()).isNull();
        assertThat(tr.update(7000, 0.6, 0, 1).id()).isEqualTo("heap_used{service=a}@7000");
    }
}
