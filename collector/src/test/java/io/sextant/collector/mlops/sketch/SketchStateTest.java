package io.sextant.collector.mlops.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SketchStateTest {

    private final ObjectMapper json = new ObjectMapper();

    private NumericSketch roundTrip(NumericSketch s) throws Exception {
        String text = json.writeValueAsString(s.toState());
        return NumericSketch.fromState(json.readValue(text, NumericSketch.State.class));
    }

    @Test
    void numericSketchesSurviveJsonInBothModes() throws Exception {
        Random r = new Random(3);
        NumericSketch small = new NumericSketch(100, 32);
        NumericSketch large = new NumericSketch(100, 32);
        for (int i = 0; i < 50; i++) {
            small.update(r.nextGaussian());
        }
        for (int i = 0; i < 5000; i++) {
            large.update(r.nextGaussian());
        }
        for (NumericSketch s : new NumericSketch[] {small, large, new NumericSketch()}) {
            NumericSketch back = roundTrip(s);
            assertThat(back.count()).isEqualTo(s.count());
            assertThat(back.isExact()).isEqualTo(s.isExact());
            assertThat(back.binning()).isEqualTo(s.binning());
            if (s.count() > 0) {
                assertThat(back.mean()).isEqualTo(s.mean());
                assertThat(back.variance()).isEqualTo(s.variance());
                for (double x = -3; x <= 3; x += 0.5) {
                    assertThat(back.cdf().at(x)).isEqualTo(s.cdf().at(x));
                }
            }
        }
        NumericSketch sibling = new NumericSketch(100, large.binning());
        sibling.update(0.5);
        roundTrip(large).merge(sibling);
    }

    @Test
    void inconsistentNumericStateIsRefused() {
        NumericSketch.State bad = new NumericSketch.State(10, 4, new Binning(0, 1, 4), false, 5, 0, 0, 0, 0.0, 1.0,
            null, new long[] {1, 1, 1, 1, 0, 0});
        assertThatThrownBy(() -> NumericSketch.fromState(bad)).hasMessageContaining("add up");
    }

    @Test
    void categoricalSketchesSurviveJson() throws Exception {
        CategoricalSketch s = new CategoricalSketch(2);
        for (String v : new String[] {"a", "b", "a", "c", "d"}) {
            s.update(v);
        }
        String text = json.writeValueAsString(s.toState());
        CategoricalSketch back = CategoricalSketch.fromState(json.readValue(text, CategoricalSketch.State.class));
        assertThat(back.counts()).isEqualTo(s.counts());
        assertThat(back.total()).isEqualTo(5);
        back.update("e");
        assertThat(back.otherCount()).isEqualTo(3);
    }
}
