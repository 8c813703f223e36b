package io.sextant.demo;

import smile.classification.LogisticRegression;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained Smile logistic regression plus what the registry needs to know about it: the dataset
 * it was trained on (id and SHA-256 of its contents), its parameters and its hold-out accuracy.
 */
final class ScoringModel
{
    final String version;
    final String datasetId;
    final byte[] datasetHash;
    final Map<String, String> parameters = new LinkedHashMap<>();
    final Map<String, Double> metrics = new LinkedHashMap<>();
    /** Training-data profile: numeric feature samples, categorical counts, predictions on the hold-out rows. */
    final Map<String, java.util.List<Double>> profileNumeric = new LinkedHashMap<>();
    final Map<String, Map<String, Long>> profileCategorical = new LinkedHashMap<>();
    private final LogisticRegression model;
    private final boolean dropsDebtRatio;

    private ScoringModel(
        final String version, final String datasetId, final byte[] datasetHash, final LogisticRegression model,
        final boolean dropsDebtRatio)
    {
        this.version = version;
        this.datasetId = datasetId;
        this.datasetHash = datasetHash;
        this.model = model;
        this.dropsDebtRatio = dropsDebtRatio;
    }

    /**
     * Trains a version.
     *
     * @param version        version name.
     * @param seed           data seed.
     * @param rows           training rows.
     * @param dropsDebtRatio true for the flawed version, which was trained without the debt ratio
     *                       (a broken feature pipeline) and is measurably worse.
     * @return the trained model.
     */
    static ScoringModel train(final String version, final long seed, final int rows, final boolean dropsDebtRatio)
    {
        final LoanApplications data = new LoanApplications(seed);
        final double[][] x = new double[rows][];
        final int[] y = new int[rows];
        final double[] numeric = new double[LoanApplications.NUMERIC.length];
        final String[] categorical = new String[LoanApplications.CATEGORICAL.length];
        final double[][] rawNumeric = new double[rows][];
        final String[][] rawCategorical = new String[rows][];
        final MessageDigest sha256 = sha256();
        final ByteBuffer row = ByteBuffer.allocate(8 * 6 + 4);
        for (int i = 0; i < rows; i++)
        {
            data.next(numeric, categorical, 0.0);
            y[i] = data.truth(numeric, categorical);
            x[i] = features(numeric, categorical, dropsDebtRatio);
            rawNumeric[i] = numeric.clone();
            rawCategorical[i] = categorical.clone();
            row.clear();
            for (final double v : x[i])
            {
                row.putDouble(v);
            }
            row.putInt(y[i]);
            sha256.update(row.array(), 0, row.position());
        }
        final int train = rows * 4 / 5;
        final double[][] trainX = java.util.Arrays.copyOfRange(x, 0, train);
        final int[] trainY = java.util.Arrays.copyOfRange(y, 0, train);
        final LogisticRegression fitted = LogisticRegression.fit(trainX, trainY);

        int correct = 0;
        for (int i = train; i < rows; i++)
        {
            correct += fitted.predict(x[i]) == y[i] ? 1 : 0;
        }
        final ScoringModel model = new ScoringModel(version, "loans-" + seed + "-" + rows, sha256.digest(), fitted,
            dropsDebtRatio);
        model.parameters.put("algorithm", "logistic-regression");
        model.parameters.put("features", dropsDebtRatio ? "income_k,age,open_accounts,partner" :
            "income_k,debt_ratio,age,open_accounts,partner");
        model.parameters.put("positive_class", "default");
        model.metrics.put("holdout_accuracy", correct / (double)(rows - train));
        model.profile(rawNumeric, rawCategorical, train, rows);
        return model;
    }

    /**
     * Builds the training profile the collector compares live traffic with: a sample of up to 2,000
     * training rows per numeric feature, category counts, and the model's predictions (class counts
     * and scores) on the hold-out rows.
     */
    private void profile(final double[][] rawNumeric, final String[][] rawCategorical, final int train, final int rows)
    {
        final int step = Math.max(1, train / 2_000);
        for (int f = 0; f < LoanApplications.NUMERIC.length; f++)
        {
            final java.util.List<Double> values = new java.util.ArrayList<>();
            for (int i = 0; i < train; i += step)
            {
                values.add(rawNumeric[i][f]);
            }
            profileNumeric.put(LoanApplications.NUMERIC[f], values);
        }
        for (int f = 0; f < LoanApplications.CATEGORICAL.length; f++)
        {
            final Map<String, Long> counts = new java.util.TreeMap<>();
            for (int i = 0; i < train; i++)
            {
                counts.merge(rawCategorical[i][f], 1L, Long::sum);
            }
            profileCategorical.put(LoanApplications.CATEGORICAL[f], counts);
        }
        final Map<String, Long> predicted = new java.util.TreeMap<>();
        final java.util.List<Double> scores = new java.util.ArrayList<>();
        final double[] posterior = new double[2];
        for (int i = train; i < rows; i++)
        {
            final int p = predict(rawNumeric[i], rawCategorical[i], posterior);
            predicted.merge(p == 1 ? "default" : "repaid", 1L, Long::sum);
            scores.add(posterior[p]);
        }
        profileCategorical.put("prediction", predicted);
        profileNumeric.put("prediction_score", scores);
    }

    /**
     * Scores an application.
     *
     * @param numeric     numeric features.
     * @param categorical categorical features.
     * @param posterior   receives the class probabilities (length 2).
     * @return 1 for "will default", 0 otherwise.
     */
    int predict(final double[] numeric, final String[] categorical, final double[] posterior)
    {
        return model.predict(features(numeric, categorical, dropsDebtRatio), posterior);
    }

    private static double[] features(final double[] numeric, final String[] categorical, final boolean dropDebt)
    {
        final double partner = "partner".equals(categorical[1]) ? 1.0 : 0.0;
        return dropDebt ?
            new double[]{numeric[0], numeric[2], numeric[3], partner} :
            new double[]{numeric[0], numeric[1], numeric[2], numeric[3], partner};
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
