package io.sextant.collector.mlops.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassIndexTest {

    @Test
    void binaryScoreBecomesTheProbabilityOfThePositiveClass() {
        ClassIndex index = new ClassIndex(2, "fraud");
        Prediction p = index.prediction("ok", 0.8);
        assertThat(p.predictedClass()).isZero();
        assertThat(p.probabilities()[1]).isCloseTo(0.2, within(1e-12));
        Prediction q = index.prediction("fraud", 0.7);
        assertThat(q.predictedClass()).isEqualTo(1);
        assertThat(q.probabilities()[1]).isCloseTo(0.7, within(1e-12));
        assertThat(index.label("fraud").trueClass()).isEqualTo(1);
    }

    @Test
    void labelsBeyondTheClassCountAreOutOfRange() {
        ClassIndex index = new ClassIndex(2, "fraud");
        index.indexOf("ok");
        assertThat(index.indexOf("maybe")).isEqualTo(-1);
        ClassificationMetrics m = new ClassificationMetrics(2);
        m.add(index.prediction("maybe", 0.9), index.label("ok"));
        assertThat(m.outOfRange()).isEqualTo(1);
    }

    @Test
    void multiClassHasNoProbabilitiesFromASingleScore() {
        ClassIndex index = new ClassIndex(3, null);
        assertThat(index.indexOf("a")).isZero();
        assertThat(index.indexOf("b")).isEqualTo(1);
        assertThat(index.prediction("c", 0.9).probabilities()).isNull();
        assertThat(index.indexOf("c")).isEqualTo(2);
    }
}
