package io.sextant.collector.mlops.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NumericSketchTest {

    @Test
    void keepsEveryValueWhileSmall() {
        NumericSketch s = new NumericSketch(10, 16);
        for (double v : new double[] {3, 1, 2, 2}) {
            s.update(v);
        }
        Cdf cdf = s.cdf();
        assertThat(s.isExact()).isTrue();
        assertThat(cdf.exact()).isTrue();
        assertThat(cdf.at(0.5)).isEqualTo(0.0);
        assertThat(cdf.at(1)).isEqualTo(0.25);
        assertThat(cdf.leftLimit(2)).isEqualTo(0.25);
        assertThat(cdf.at(2)).isEqualTo(0.75);
        assertThat(cdf.at(3)).isEqualTo(1.0);
        assertThat(cdf.distinctValues()).isEqualTo(3);
        assertThat(s.mean()).isEqualTo(2.0);
        assertThat(s.variance()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void switchesToHistogramPastCapacityWithExactMoments() {
        NumericSketch s = new NumericSketch(100, 64);
        for (int i = 0; i < 10_000; i++) {
            s.update(i % 100);
        }
        assertThat(s.isExact()).isFalse();
        assertThat(s.count()).isEqualTo(10_000);
        assertThat(s.mean()).isCloseTo(49.5, within(1e-9));
        assertThat(s.min()).isEqualTo(0);
        assertThat(s.max()).isEqualTo(99);
        Cdf cdf = s.cdf();
        assertThat(cdf.exact()).isFalse();
        assertThat(cdf.at(49.5)).isCloseTo(0.5, within(0.02));
        assertThat(cdf.at(99)).isEqualTo(1.0);
        assertThat(cdf.at(-1)).isEqualTo(0.0);
    }

    @Test
    void valuesOutsideTheLearnedRangeLandInOuterBinsBoundedByMinAndMax() {
        NumericSketch s = new NumericSketch(10, 8);
        for (int i = 0; i < 10; i++) {
            s.update(i);
        }
        s.update(1000);
        s.update(-1000);
        Cdf cdf = s.cdf();
        assertThat(cdf.min()).isEqualTo(-1000);
        assertThat(cdf.max()).isEqualTo(1000);
        assertThat(cdf.at(500)).isCloseTo(11.0 / 12 + (1.0 / 12) * (500 - 11.25) / (1000 - 11.25), within(1e-9));
    }

    @Test
    void mergeMatchesFeedingOneSketch() {
        Binning binning = new Binning(-5, 5, 50);
        NumericSketch a = new NumericSketch(100, binning);
        NumericSketch b = new NumericSketch(100, binning);
        NumericSketch all = new NumericSketch(100, binning);
        Random r = new Random(7);
        for (int i = 0; i < 5000; i++) {
            double v = r.nextGaussian();
            (i % 3 == 0 ? a : b).update(v);
            all.update(v);
        }
        a.merge(b);
        assertThat(a.count()).isEqualTo(all.count());
        assertThat(a.mean()).isCloseTo(all.mean(), within(1e-12));
        assertThat(a.variance()).isCloseTo(all.variance(), within(1e-12));
        for (double x = -3; x <= 3; x += 0.25) {
            assertThat(a.cdf().at(x)).isCloseTo(all.cdf().at(x), within(1e-12));
        }
    }

    @Test
    void mergeOfSmallSketchesStaysExact() {
        NumericSketch a = new NumericSketch(10, 8);
        NumericSketch b = new NumericSketch(10, 8);
        a.update(1);
        b.update(2);
        a.merge(b);
        assertThat(a.isExact()).isTrue();
        assertThat(a.cdf().at(1.5)).isEqualTo(0.5);
    }

    @Test
    void refusesToMergeDifferentBinnings() {
        NumericSketch a = new NumericSketch(1, new Binning(0, 1, 4));
        NumericSketch b = new NumericSketch(1, new Binning(0, 2, 4));
        a.update(0.1);
        a.update(0.2);
        b.update(0.1);
        b.update(0.2);
        assertThatThrownBy(() -> a.merge(b)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countsNaNSeparately() {
        NumericSketch s = new NumericSketch();
        s.update(Double.NaN);
        s.update(1);
        assertThat(s.count()).isEqualTo(1);
        assertThat(s.nanCount()).isEqualTo(1);
    }

    @Test
    void updatesAllocateNothingAfterTheSwitchToHistogram() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        NumericSketch s = new NumericSketch(1000, 256);
        for (int i = 0; i < 200_000; i++) {
            s.update(i * 0.001);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000_000; i++) {
            s.update((i % 1000) * 0.2);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).isLessThan(1024);
        assertThat(s.count()).isEqualTo(1_200_000);
    }
}
