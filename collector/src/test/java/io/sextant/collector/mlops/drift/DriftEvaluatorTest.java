package io.sextant.collector.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sextant.collector.mlops.sketch.CategoricalSketch;
import io.sextant.collector.mlops.sketch.NumericSketch;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DriftEvaluatorTest {

    private final DriftEvaluator evaluator = new DriftEvaluator(DriftPolicy.defaults());

    private static NumericSketch gaussian(long seed, int n, double mean) {
        NumericSketch s = new NumericSketch();
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            s.update(mean + r.nextGaussian());
        }
        return s;
    }

    @Test
    void smallNumericReferenceUsesKolmogorovSmirnov() {
        DriftTestResult r = evaluator.numeric("x", gaussian(1, 500, 0), gaussian(2, 500, 0.5));
        assertThat(r.method()).isEqualTo(DriftMethod.KS);
        assertThat(r.drifted()).isTrue();
        assertThat(r.value()).isLessThan(0.05);
        assertThat(r.score()).isGreaterThan(0.5);
    }

    @Test
    void largeNumericReferenceUsesNormalisedWasserstein() {
        NumericSketch ref = gaussian(1, 20_000, 0);
        NumericSketch same = new NumericSketch(1000, ref.binning());
        NumericSketch shifted = new NumericSketch(1000, ref.binning());
        Random r = new Random(3);
        for (int i = 0; i < 5000; i++) {
            double g = r.nextGaussian();
            same.update(g);
            shifted.update(g + 0.5);
        }
        DriftTestResult quiet = evaluator.numeric("x", ref, same);
        DriftTestResult moved = evaluator.numeric("x", ref, shifted);
        assertThat(quiet.method()).isEqualTo(DriftMethod.WASSERSTEIN);
        assertThat(quiet.drifted()).isFalse();
        assertThat(moved.drifted()).isTrue();
        // A 0.5 sigma shift moves W1 by 0.5 sigma: the normalised distance is about 0.5.
        assertThat(moved.value()).isCloseTo(0.5, within(0.05));
    }

    @Test
    void fewDistinctNumericValuesUseChiSquared() {
        NumericSketch ref = new NumericSketch();
        NumericSketch cur = new NumericSketch();
        for (int i = 0; i < 100; i++) {
            ref.update(i % 2);
            cur.update(i % 4 == 0 ? 1 : 0);
        }
        DriftTestResult r = evaluator.numeric("flag", ref, cur);
        assertThat(r.method()).isEqualTo(DriftMethod.CHI_SQUARED);
        // chi2_contingency([[50,50],[75,25]], correction=False) -> statistic 13.333333333333334, p 0.0002607296328553164 (scipy 1.17.1)
        assertThat(r.statistic()).isCloseTo(13.333333333333334, within(1e-9));
    }

    @Test
    void categoricalTestFollowsReferenceSize() {
        CategoricalSketch small = new CategoricalSketch();
        CategoricalSketch large = new CategoricalSketch();
        CategoricalSketch cur = new CategoricalSketch();
        for (int i = 0; i < 900; i++) {
            small.update(i % 3 == 0 ? "a" : "b");
            cur.update(i % 2 == 0 ? "a" : "b");
        }
        for (int i = 0; i < 3000; i++) {
            large.update(i % 3 == 0 ? "a" : "b");
        }
        DriftTestResult chi = evaluator.categorical("c", small, cur);
        DriftTestResult js = evaluator.categorical("c", large, cur);
        assertThat(chi.method()).isEqualTo(DriftMethod.CHI_SQUARED);
        assertThat(chi.drifted()).isTrue();
        assertThat(js.method()).isEqualTo(DriftMethod.JENSEN_SHANNON);
        // p = (1/3, 2/3), q = (1/2, 1/2): scipy.spatial.distance.jensenshannon(p, q) = 0.11984403015647774 (>= 0.1)
        assertThat(js.value()).isCloseTo(0.11984403015647774, within(1e-12));
        assertThat(js.drifted()).isTrue();
    }

    @Test
    void thresholdsAndMethodsAreConfigurable() {
        DriftEvaluator strict = new DriftEvaluator(DriftPolicy.defaults()
            .withMethod("x", DriftMethod.PSI).withThreshold(DriftMethod.PSI, 100));
        DriftTestResult r = strict.numeric("x", gaussian(1, 500, 0), gaussian(2, 500, 3));
        assertThat(r.method()).isEqualTo(DriftMethod.PSI);
        assertThat(r.threshold()).isEqualTo(100);
        assertThat(r.drifted()).isFalse();
    }

    @Test
    void datasetDriftShareAndRecords() {
        NumericSketch ref = gaussian(1, 500, 0);
        DatasetDrift d = evaluator.evaluate(
            Map.of("a", ref, "b", ref, "c", gaussian(5, 500, 0)),
            Map.of("a", gaussian(2, 500, 1), "b", gaussian(3, 500, 0), "c", gaussian(4, 500, 2)),
            Map.of(), Map.of());
        assertThat(d.features()).extracting(DriftTestResult::feature).containsExactly("a", "b", "c");
        assertThat(d.driftedFeatures()).isEqualTo(2);
        assertThat(d.share()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(d.drifted()).isTrue();
        List<DriftRecord> records = d.toRecords("fraud", "3", ReferenceKind.TRAINING_PROFILE, 1000, 2000);
        assertThat(records).hasSize(4);
        DriftRecord a = records.get(0);
        assertThat(a.model()).isEqualTo("fraud");
        assertThat(a.statistic()).isEqualTo("ks");
        assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(a.score()).isBetween(0.0, 1.0);
        assertThat(records.get(1).severity()).isEqualTo(Severity.NONE);
        assertThat(records.get(3).feature()).isEqualTo("*");
        assertThat(records.get(3).drifted()).isTrue();
        assertThat(d.toRecords("fraud", "3", ReferenceKind.TRAINING_PROFILE, 1000, 2000).get(0).id()).isEqualTo(a.id());
    }

    @Test
    void severityFollowsTheAnomalyScale() {
        assertThat(Severity.of(false, 0.9)).isEqualTo(Severity.NONE);
        assertThat(Severity.of(true, 0.6)).isEqualTo(Severity.WARNING);
        assertThat(Severity.of(true, 0.7)).isEqualTo(Severity.CRITICAL);
        // a distance at 7/3 of its threshold scores 0.7
        assertThat(DriftMethod.WASSERSTEIN.score(0.1 * 7 / 3, 0.1)).isCloseTo(0.7, within(1e-12));
        DriftRecord r = new DriftRecord("id", "fraud", "3", "amount", "wasserstein", 0.5, 0.5, 0.1,
            ReferenceKind.TRAILING_WINDOW, 0, 1, 0.83, Severity.CRITICAL, true);
        assertThat(r.seriesKey()).isEqualTo("mlops.drift{feature=amount,model=fraud,statistic=wasserstein,version=3}");
        assertThat(r.labels()).containsEntry("model", "fraud").containsEntry("feature", "amount");
        assertThat(r.detector()).isEqualTo("drift:wasserstein");
    }

    @Test
    void scoreIsOneHalfAtTheThreshold() {
        assertThat(DriftMethod.KS.score(0.05, 0.05)).isCloseTo(0.5, within(1e-12));
        assertThat(DriftMethod.WASSERSTEIN.score(0.1, 0.1)).isCloseTo(0.5, within(1e-12));
        assertThat(DriftMethod.KS.score(1.0, 0.05)).isZero();
        assertThat(DriftMethod.PSI.score(0, 0.1)).isZero();
    }

    @Test
    void trailingReferenceMergesTheLastWindows() {
        NumericSketch template = new NumericSketch(10, new io.sextant.collector.mlops.sketch.Binning(0, 100, 100));
        TrailingReference trailing = new TrailingReference(template, 2);
        for (int w = 0; w < 3; w++) {
            NumericSketch window = template.emptyCopy();
            for (int i = 0; i < 20; i++) {
                window.update(w * 10 + i * 0.1);
            }
            trailing.push(window);
        }
        NumericSketch ref = trailing.reference();
        assertThat(trailing.full()).isTrue();
        assertThat(ref.count()).isEqualTo(40);
        assertThat(ref.min()).isCloseTo(10, within(1e-12));
    }
}
