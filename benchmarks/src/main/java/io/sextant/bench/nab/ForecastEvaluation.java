package io.sextant.bench.nab;

import io.sextant.collector.analysis.forecast.HoltWintersForecaster;

import java.util.List;

/**
 * Forecast accuracy on the NAB series: MASE of {@link HoltWintersForecaster} against a seasonal-naive forecast.
 *
 * <p>Each series is fed point by point. From the middle of the series on, every {@link #HORIZON} points the
 * forecaster predicts the next 1..{@link #HORIZON} points, and so does the seasonal-naive forecast
 * {@code y[t+h-m]} with {@code m} one day of points (or the last value, {@code m = 1}, when the series does not
 * hold two days before the origin). Per series, MASE = sum of absolute Holt-Winters errors over sum of absolute
 * seasonal-naive errors (below 1 beats it); the summary is the mean (and the median) over series whose seasonal-naive error is not
 * zero.
 */
final class ForecastEvaluation {

    static final int HORIZON = 12;
    static final long DAY_MILLIS = 24L * 3600 * 1000;

    record Summary(double mase, double medianMase, int series, int horizon, int beating) {
    }

    private ForecastEvaluation() {
    }

    static Summary evaluate(List<NabCorpus.Series> corpus) {
        double sum = 0.0;
        double[] all = new double[corpus.size()];
        int counted = 0;
        int beating = 0;
        for (NabCorpus.Series s : corpus) {
            double m = mase(s);
            if (Double.isFinite(m)) {
                sum += m;
                all[counted++] = m;
                if (m < 1.0) {
                    beating++;
                }
            }
        }
        java.util.Arrays.sort(all, 0, counted);
        double median = counted == 0 ? Double.NaN
                : (counted % 2 == 1 ? all[counted / 2] : 0.5 * (all[counted / 2 - 1] + all[counted / 2]));
        return new Summary(counted == 0 ? Double.NaN : sum / counted, median, counted, HORIZON, beating);
    }

    static double mase(NabCorpus.Series s) {
        long[] t = s.millis();
        double[] y = s.values();
        int n = y.length;
        long interval = Long.MAX_VALUE;
        for (int i = 1; i < n; i++) {
            long d = t[i] - t[i - 1];
            if (d > 0 && d < interval) {
                interval = d;
            }
        }
        int day = interval == Long.MAX_VALUE ? 1 : (int) Math.max(1, DAY_MILLIS / interval);
        HoltWintersForecaster f = new HoltWintersForecaster();
        double errModel = 0.0;
        double errNaive = 0.0;
        for (int i = 0; i < n; i++) {
            f.update(t[i], y[i]);
            if (i >= n / 2 && i + HORIZON < n && (i - n / 2) % HORIZON == 0) {
                int m = i + 1 >= 2 * day && day > HORIZON ? day : 1;
                for (int h = 1; h <= HORIZON; h++) {
                    double actual = y[i + h];
                    errModel += Math.abs(actual - f.forecast(h));
                    double naive = m == 1 ? y[i] : y[i + h - m];
                    errNaive += Math.abs(actual - naive);
                }
            }
        }
        return errNaive == 0.0 ? Double.NaN : errModel / errNaive;
    }
}
