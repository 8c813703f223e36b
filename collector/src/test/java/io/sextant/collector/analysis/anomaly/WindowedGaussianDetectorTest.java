package io.sextant.collector.analysis.anomaly;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WindowedGaussianDetectorTest {

    @Test
    void scoresTheTailProbabilityAgainstThePastWindow() {
        WindowedGaussianDetector d = new WindowedGaussianDetector();
        assertThat(d.update(0, 0.0)).isEqualTo(0.0); // nothing to compare with yet
        d.update(1, 2.0);
        // window {0, 2}: mean 1, population std 1; x = 3 -> z = 2 -> 1 - Q(2) = 1 - 0.0227501 = 0.9772499
        assertThat(d.update(2, 3.0)).isCloseTo(0.9772499, within(1e-6));
        // window {0, 2, 3}: mean 5/3; x = mean -> z = 0 -> 0.5
        assertThat(d.update(3, 5.0 / 3.0)).isCloseTo(0.5, within(1e-6));
    }

    @Test
    void slidesInStepsOnceTheWindowIsFull() {
        WindowedGaussianDetector d = new WindowedGaussianDetector(4, 2);
        for (int i = 0; i < 4; i++) {
            d.update(i, 10.0);
        }
        // window full of 10s: std 0 is replaced by 1e-6, so 10 scores 0.5 (to the 1e-7 accuracy of erfc)
        assertThat(d.update(4, 10.0)).isCloseTo(0.5, within(1e-7));
        assertThat(d.update(5, 10.0)).isCloseTo(0.5, within(1e-7));
        d.update(6, 20.0);
        d.update(7, 20.0);
        // the window slid by two: {10, 10, 20, 20}, mean 15, std 5; x = 15 -> 0.5
        assertThat(d.update(8, 15.0)).isCloseTo(0.5, within(1e-6));
    }

    @Test
    void qFunctionMatchesTables() {
        assertThat(Gaussian.q(0.0)).isCloseTo(0.5, within(1e-7));
        assertThat(Gaussian.q(1.959964)).isCloseTo(0.025, within(1e-7));
        assertThat(Gaussian.q(-1.0)).isCloseTo(0.8413447, within(1e-7));
    }
}
