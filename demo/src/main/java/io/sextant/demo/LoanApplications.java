package io.sextant.demo;

import java.util.SplittableRandom;

/**
 * Synthetic loan applications with a known ground truth. Four numeric features (income in
 * thousands, debt ratio, age, open accounts) and two categorical ones (region, channel); the true
 * probability of default is a fixed logistic function of them. A drift factor shifts the income
 * distribution downwards, as a recession would.
 */
final class LoanApplications
{
    static final String[] NUMERIC = {"income_k", "debt_ratio", "age", "open_accounts"};
    static final String[] CATEGORICAL = {"region", "channel"};
    private static final String[] REGIONS = {"north", "south", "east", "west"};
    private static final String[] CHANNELS = {"web", "branch", "partner"};

    private final SplittableRandom random;

    LoanApplications(final long seed)
    {
        this.random = new SplittableRandom(seed);
    }

    /**
     * Fills one application.
     *
     * @param numeric     receives the numeric features.
     * @param categorical receives the categorical features.
     * @param drift       0 for the training distribution; 1 shifts income down by one standard deviation.
     */
    void next(final double[] numeric, final String[] categorical, final double drift)
    {
        numeric[0] = Math.max(5, 60 + 20 * gaussian() - 20 * drift);
        numeric[1] = Math.min(1.5, Math.max(0, 0.35 + 0.15 * gaussian() + 0.1 * drift));
        numeric[2] = Math.max(18, Math.min(90, 42 + 12 * gaussian()));
        numeric[3] = Math.max(0, Math.round(4 + 2 * gaussian()));
        categorical[0] = REGIONS[random.nextInt(REGIONS.length)];
        categorical[1] = CHANNELS[random.nextInt(CHANNELS.length)];
    }

    /**
     * @return 1 when this applicant defaults, drawn from the true model.
     */
    int truth(final double[] numeric, final String[] categorical)
    {
        final double z = -1.0 - 0.04 * (numeric[0] - 60) + 5.0 * (numeric[1] - 0.35) - 0.02 * (numeric[2] - 42) +
            0.15 * (numeric[3] - 4) + ("partner".equals(categorical[1]) ? 0.6 : 0.0);
        return random.nextDouble() < 1.0 / (1.0 + Math.exp(-z)) ? 1 : 0;
    }

    double uniform()
    {
        return random.nextDouble();
    }

    private double gaussian()
    {
        // Box-Muller; one value per call keeps the generator simple and deterministic.
        final double u = 1.0 - random.nextDouble();
        final double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }
}
