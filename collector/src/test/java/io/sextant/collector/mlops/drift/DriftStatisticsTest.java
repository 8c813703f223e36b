package io.sextant.collector.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sextant.collector.mlops.sketch.Cdf;
import io.sextant.collector.mlops.sketch.NumericSketch;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every expected value here was computed independently with Python 3, numpy 2.4.6 and scipy 1.17.1 on the
 * same data (the generating formulas are repeated in the comments), e.g.
 * <pre>
 * ref = np.array([((i*37) % 101) / 10 for i in range(60)])
 * cur = np.array([((j*53) % 97) / 10 + 1.55 for j in range(45)])
 * </pre>
 */
class DriftStatisticsTest {

    static double[] reference() {
        double[] v = new double[60];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((i * 37) % 101) / 10.0;
        }
        return v;
    }

    static double[] current() {
        double[] v = new double[45];
        for (int j = 0; j < v.length; j++) {
            v[j] = ((j * 53) % 97) / 10.0 + 1.55;
        }
        return v;
    }

    @Test
    void kolmogorovSmirnovMatchesScipyExact() {
        // scipy.stats.ks_2samp(ref, cur, method='exact') -> statistic 0.16666666666666666, pvalue 0.433130042011513
        Cdf ref = Cdf.ofSample(reference());
        Cdf cur = Cdf.ofSample(current());
        double d = DriftStatistics.ksStatistic(ref, cur);
        assertThat(d).isCloseTo(0.16666666666666666, within(1e-12));
        assertThat(DriftStatistics.ksPValue(d, 60, 45, true)).isCloseTo(0.433130042011513, within(1e-9));
    }

    @Test
    void exactKolmogorovSmirnovMatchesScipyOnLargerSamples() {
        // ref = [((i*7919) % 1009)/100 for i in range(1000)], cur = [((j*389) % 1009)/100 + s for j in range(200)]
        // scipy.stats.ks_2samp(ref, cur, method='exact'): s = 0.505 -> D 0.062, p 0.5301595552219358;
        // s = 1.005 -> D 0.111, p 0.03120588594206696
        double[] ref = new double[1000];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = ((i * 7919) % 1009) / 100.0;
        }
        double[][] cases = {{0.505, 0.062, 0.5301595552219358}, {1.005, 0.111, 0.03120588594206696}};
        for (double[] c : cases) {
            double[] cur = new double[200];
            for (int j = 0; j < cur.length; j++) {
                cur[j] = ((j * 389) % 1009) / 100.0 + c[0];
            }
            double d = DriftStatistics.ksStatistic(Cdf.ofSample(ref), Cdf.ofSample(cur));
            assertThat(d).isCloseTo(c[1], within(1e-12));
            assertThat(DriftStatistics.ksPValue(d, 1000, 200, true)).isCloseTo(c[2], within(1e-9));
        }
    }

    @Test
    void kolmogorovSmirnovAsymptoticMatchesScipyKstwobign() {
        // scipy.stats.kstwobign.sf(sqrt(60*45/105) * (1/6)) = 0.47271027600868015
        assertThat(DriftStatistics.ksPValue(1.0 / 6, 60, 45, false)).isCloseTo(0.47271027600868015, within(1e-9));
    }

    @Test
    void kolmogorovDistributionMatchesScipy() {
        // scipy.stats.kstwobign.sf(x) for x = 0.3, 0.8, 1.0, 1.36, 2.0
        assertThat(Distributions.kolmogorovSf(0.3)).isCloseTo(0.9999906941986655, within(1e-12));
        assertThat(Distributions.kolmogorovSf(0.8)).isCloseTo(0.5441424115741981, within(1e-12));
        assertThat(Distributions.kolmogorovSf(1.0)).isCloseTo(0.26999967167735456, within(1e-12));
        assertThat(Distributions.kolmogorovSf(1.36)).isCloseTo(0.049485876755377876, within(1e-12));
        assertThat(Distributions.kolmogorovSf(2.0)).isCloseTo(0.0006709252557796953, within(1e-14));
    }

    @Test
    void chiSquaredTailMatchesScipy() {
        // scipy.stats.chi2.sf(x, df)
        assertThat(Distributions.chiSquaredSf(3.84, 1)).isCloseTo(0.05004352124870519, within(1e-12));
        assertThat(Distributions.chiSquaredSf(12.5, 3)).isCloseTo(0.005852662593326735, within(1e-12));
        assertThat(Distributions.chiSquaredSf(0.5, 7)).isCloseTo(0.9994464813904249, within(1e-12));
        assertThat(Distributions.chiSquaredSf(40, 10)).isCloseTo(1.694474393006737e-05, within(1e-15));
        assertThat(Distributions.chiSquaredSf(150, 99)).isCloseTo(0.0007204453957169282, within(1e-13));
    }

    @Test
    void wassersteinMatchesScipy() {
        // scipy.stats.wasserstein_distance(ref, cur) = 1.1094444444444445; np.std(ref) = 2.9148751640888877;
        // normalised 0.38061473716361616
        Cdf ref = Cdf.ofSample(reference());
        Cdf cur = Cdf.ofSample(current());
        assertThat(DriftStatistics.wasserstein(ref, cur)).isCloseTo(1.1094444444444445, within(1e-12));
        assertThat(ref.std()).isCloseTo(2.9148751640888877, within(1e-12));
        assertThat(DriftStatistics.normalisedWasserstein(ref, cur)).isCloseTo(0.38061473716361616, within(1e-12));
    }

    @Test
    void psiAndJensenShannonOnSturgesBinsMatchNumpyAndScipy() {
        // bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins='sturges')  (8 bins)
        // rp = np.histogram(ref, bins)[0]/60; cp = np.histogram(cur, bins)[0]/45
        // psi with zeros replaced by 1e-4: sum((rp-cp)*log(rp/cp)) = 1.3134604564882537
        // scipy.spatial.distance.jensenshannon(rp, cp) = 0.2790184074302768
        Cdf ref = Cdf.ofSample(reference());
        Cdf cur = Cdf.ofSample(current());
        double[][] p = DriftStatistics.sturgesProportions(ref, cur);
        assertThat(p[0]).hasSize(8);
        assertThat(p[0][0]).isCloseTo(0.15, within(1e-12));
        assertThat(p[0][7]).isCloseTo(0.05, within(1e-12));
        assertThat(p[1][0]).isEqualTo(0.0);
        assertThat(p[1][1]).isCloseTo(8.0 / 45, within(1e-12));
        assertThat(DriftStatistics.psi(p[0], p[1])).isCloseTo(1.3134604564882537, within(1e-12));
        assertThat(DriftStatistics.jensenShannon(p[0], p[1])).isCloseTo(0.2790184074302768, within(1e-12));
    }

    @Test
    void categoricalStatisticsMatchScipy() {
        // table [[50,30,20,0],[30,30,25,15]]:
        // scipy.stats.chi2_contingency(table, correction=False) -> 20.555555555555557, df 3, p 0.00013019314969202805
        // jensenshannon(row0/100, row1/100) = 0.25692679189677964; PSI (zeros -> 1e-4) = 1.209574038343745
        Map<String, Long> ref = new LinkedHashMap<>();
        ref.put("a", 50L);
        ref.put("b", 30L);
        ref.put("c", 20L);
        Map<String, Long> cur = new LinkedHashMap<>();
        cur.put("a", 30L);
        cur.put("b", 30L);
        cur.put("c", 25L);
        cur.put("d", 15L);
        long[][] counts = DriftStatistics.align(ref, cur);
        DriftStatistics.ChiSquared chi = DriftStatistics.chiSquared(counts[0], counts[1]);
        assertThat(chi.statistic()).isCloseTo(20.555555555555557, within(1e-10));
        assertThat(chi.degreesOfFreedom()).isEqualTo(3);
        assertThat(chi.pValue()).isCloseTo(0.00013019314969202805, within(1e-15));
        double[] p = DriftStatistics.toProportions(counts[0]);
        double[] q = DriftStatistics.toProportions(counts[1]);
        assertThat(DriftStatistics.jensenShannon(p, q)).isCloseTo(0.25692679189677964, within(1e-12));
        assertThat(DriftStatistics.psi(p, q)).isCloseTo(1.209574038343745, within(1e-12));
    }

    @Test
    void twoByTwoChiSquaredMatchesScipy() {
        // chi2_contingency([[40,60],[55,45]], correction=False) -> 4.511278195488721, p 0.033672068856345896
        DriftStatistics.ChiSquared chi = DriftStatistics.chiSquared(new long[] {40, 60}, new long[] {55, 45});
        assertThat(chi.statistic()).isCloseTo(4.511278195488721, within(1e-10));
        assertThat(chi.pValue()).isCloseTo(0.033672068856345896, within(1e-12));
    }

    @Test
    void binnedSketchesApproximateTheExactLargeSampleValues() {
        // ref: (i+0.5)/20000*10 for i < 20000 (uniform on [0,10]); cur: (j+0.5)/5000*10 + 1 for j < 5000.
        // scipy: wasserstein_distance = 1.0 (0.9999999999999987), np.std(ref) = 2.8867513423396898,
        // ks_2samp statistic = 0.1001. The sketches hold 1000 exact values and then 256 bins.
        NumericSketch ref = new NumericSketch();
        for (int i = 0; i < 20_000; i++) {
            ref.update((i + 0.5) / 20_000 * 10);
        }
        NumericSketch cur = new NumericSketch(1000, ref.binning());
        for (int j = 0; j < 5000; j++) {
            cur.update((j + 0.5) / 5000 * 10 + 1);
        }
        Cdf r = ref.cdf();
        Cdf c = cur.cdf();
        assertThat(r.exact()).isFalse();
        assertThat(r.std()).isCloseTo(2.8867513423396898, within(1e-9));
        assertThat(DriftStatistics.wasserstein(r, c)).isCloseTo(1.0, within(0.01));
        assertThat(DriftStatistics.normalisedWasserstein(r, c)).isCloseTo(1.0 / 2.8867513423396898, within(0.005));
        assertThat(DriftStatistics.ksStatistic(r, c)).isCloseTo(0.1001, within(0.002));
    }

    @Test
    void identicalSamplesShowNoDrift() {
        Cdf a = Cdf.ofSample(reference());
        assertThat(DriftStatistics.ksStatistic(a, a)).isZero();
        assertThat(DriftStatistics.wasserstein(a, a)).isZero();
        double[][] p = DriftStatistics.sturgesProportions(a, a);
        assertThat(DriftStatistics.psi(p[0], p[1])).isZero();
        assertThat(DriftStatistics.jensenShannon(p[0], p[1])).isZero();
    }
}
