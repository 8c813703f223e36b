package io.sextant.collector.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sextant.collector.mlops.sketch.Cdf;
import io.sextant.collector.mlops.sketch.NumericSketch;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;

class DriftPropertiesTest {

    private static double[] array(List<Double> xs) {
        double[] a = new double[xs.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = xs.get(i);
        }
        return a;
    }

    @Property(tries = 300)
    void wassersteinOfAShiftedSampleIsTheShift(
            @ForAll @Size(min = 1, max = 200) List<@DoubleRange(min = -1e3, max = 1e3) Double> xs,
            @ForAll @DoubleRange(min = -100, max = 100) double shift) {
        double[] a = array(xs);
        double[] b = a.clone();
        for (int i = 0; i < b.length; i++) {
            b[i] += shift;
        }
        double w = DriftStatistics.wasserstein(Cdf.ofSample(a), Cdf.ofSample(b));
        assertThat(w).isCloseTo(Math.abs(shift), within(1e-6 * (1 + Math.abs(shift)) + 1e-9));
    }

    @Property(tries = 300)
    void ksIsSymmetricBoundedAndZeroOnItself(
            @ForAll @Size(min = 1, max = 200) List<@DoubleRange(min = -1e3, max = 1e3) Double> xs,
            @ForAll @Size(min = 1, max = 200) List<@DoubleRange(min = -1e3, max = 1e3) Double> ys) {
        Cdf a = Cdf.ofSample(array(xs));
        Cdf b = Cdf.ofSample(array(ys));
        double d = DriftStatistics.ksStatistic(a, b);
        assertThat(d).isBetween(0.0, 1.0);
        assertThat(DriftStatistics.ksStatistic(b, a)).isEqualTo(d);
        assertThat(DriftStatistics.ksStatistic(a, a)).isZero();
        double p = DriftStatistics.ksPValue(d, xs.size(), ys.size(), true);
        assertThat(p).isBetween(0.0, 1.0);
    }

    @Property(tries = 300)
    void mergingExactSketchesInAnySplitEqualsOneSketch(
            @ForAll @Size(max = 300) List<@DoubleRange(min = -1e6, max = 1e6) Double> xs,
            @ForAll @DoubleRange(min = 0, max = 1) double splitAt) {
        int split = (int) (splitAt * xs.size());
        NumericSketch left = new NumericSketch(1000, 64);
        NumericSketch right = new NumericSketch(1000, 64);
        NumericSketch all = new NumericSketch(1000, 64);
        for (int i = 0; i < xs.size(); i++) {
            (i < split ? left : right).update(xs.get(i));
            all.update(xs.get(i));
        }
        left.merge(right);
        assertThat(left.count()).isEqualTo(all.count());
        Cdf merged = left.cdf();
        Cdf whole = all.cdf();
        for (double x : xs) {
            assertThat(merged.at(x)).isEqualTo(whole.at(x));
            assertThat(merged.leftLimit(x)).isEqualTo(whole.leftLimit(x));
        }
    }

    @Property(tries = 200)
    void chiSquaredPValueIsAProbability(@ForAll @Size(min = 2, max = 10) List<@DoubleRange(min = 0, max = 1000) Double> a,
                                        @ForAll @Size(min = 2, max = 10) List<@DoubleRange(min = 0, max = 1000) Double> b) {
        int k = Math.min(a.size(), b.size());
        long[] r = new long[k];
        long[] c = new long[k];
        for (int i = 0; i < k; i++) {
            r[i] = Math.round(a.get(i));
            c[i] = Math.round(b.get(i));
        }
        DriftStatistics.ChiSquared chi = DriftStatistics.chiSquared(r, c);
        assertThat(chi.pValue()).isBetween(0.0, 1.0);
        assertThat(chi.statistic()).isGreaterThanOrEqualTo(0.0);
    }
}
