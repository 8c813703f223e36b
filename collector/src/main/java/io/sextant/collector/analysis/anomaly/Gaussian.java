package io.sextant.collector.analysis.anomaly;

/** Normal-distribution tail probabilities, used to turn deviations into calibrated scores. */
final class Gaussian {

    private Gaussian() {
    }

    /**
     * Complementary error function, erfc(x), with a fractional error below 1.2e-7 everywhere
     * (the Chebyshev-fitted rational form given in Numerical Recipes, section 6.2).
     */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2.0 - r;
    }

    /** Upper tail probability of the standard normal distribution, Q(z) = P(Z &gt; z). */
    static double q(double z) {
        return 0.5 * erfc(z / Math.sqrt(2.0));
    }
}
