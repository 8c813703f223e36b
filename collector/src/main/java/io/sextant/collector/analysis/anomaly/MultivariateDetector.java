package io.sextant.collector.analysis.anomaly;

import smile.anomaly.IsolationForest;
import smile.anomaly.IsolationTree;
import smile.math.MathEx;
import smile.stat.distribution.GaussianDistribution;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Multivariate anomaly detection over the series of one service or JVM (heap, GC time, request rate, latency,
 * ...): catches combinations that no single series shows, such as a throughput drop with unchanged CPU.
 *
 * <p>Each row (one value per series, aligned by the caller) is standardised with running means and spreads,
 * scored by the current isolation forest (Smile) and kept in a sliding window of the last {@code window} rows.
 * Every {@code retrainEvery} rows a copy of the window is handed to the {@code trainer} executor, which fits a
 * new forest off the hot path.
 *
 * <p>Replay gives the same scores, so the same anomalies and ids: the forest is fitted with a random stream
 * seeded from the row count (the trees are grown one after another on the trainer thread, not in parallel
 * streams whose thread-local generators depend on scheduling), and it is adopted at a row fixed by the data,
 * {@link #ADOPT_AFTER} rows after its snapshot, waiting for the trainer at that row if it has not finished (a
 * fit takes milliseconds; live rows arrive seconds apart). A trainer that refuses the work (saturated) gets
 * it done inline on the owner thread, so that load never changes the result. The forest's raw score is calibrated like {@link SextantDetector}'s surprises: its
 * Gaussian tail against the running mean and spread of past scores gives {@code lambda = -log10(p)}, and the
 * returned score is {@code lambda / (lambda + 4)}.
 *
 * <p>Threading: {@link #update} and the other queries are called by the one analysis thread that owns the
 * group; only the trainer touches the snapshot it was handed, and the hand-back is a single atomic reference.
 * {@link #update} allocates nothing except the window copy made once per {@code retrainEvery} rows.
 */
public final class MultivariateDetector {

    public static final String NAME = "isolationForest";
    static final int TREES = 100;
    static final double SUBSAMPLE = 0.5;
    static final double STAT_ALPHA = 0.01;
    static final double RARITY_ALPHA = 0.002;
    /** Rows between a training snapshot and the adoption of the forest fitted on it. */
    static final int ADOPT_AFTER = 16;

    private final int dims;
    private final double[][] rows;
    private final int retrainEvery;
    private final Executor trainer;
    private CompletableFuture<IsolationForest> pending;
    private long adoptAt;
    private final double[] mean;
    private final double[] var;
    private final double[] scratch;
    private IsolationForest model;
    private long n;
    private int head;
    private int count;
    private int sinceTraining;
    private boolean training;
    private double rarityMean;
    private double rarityVar;
    private long scored;
    private long adopted;

    /**
     * @param dims number of series in a row
     * @param window rows kept for training
     * @param retrainEvery rows between two retrainings
     * @param trainer where forests are fitted (a background executor; {@code Runnable::run} in tests)
     */
    public MultivariateDetector(int dims, int window, int retrainEvery, Executor trainer) {
        if (dims < 1 || window < 16 || retrainEvery < 1) {
            throw new IllegalArgumentException("need dims >= 1, window >= 16, retrainEvery >= 1");
        }
        this.dims = dims;
        this.rows = new double[window][dims];
        this.retrainEvery = retrainEvery;
        this.trainer = trainer;
        this.mean = new double[dims];
        this.var = new double[dims];
        this.scratch = new double[dims];
    }

    /**
     * Feeds one row (one value per series, in a fixed order) and returns its anomaly score in [0, 1].
     * Rows with a non-finite value are ignored and score 0.
     */
    public double update(long timestampMillis, double[] row) {
        if (row.length != dims) {
            throw new IllegalArgumentException("expected " + dims + " values, got " + row.length);
        }
        for (double v : row) {
            if (!Double.isFinite(v)) {
                return 0.0;
            }
        }
        n++;
        double a = Math.max(STAT_ALPHA, 1.0 / n);
        for (int j = 0; j < dims; j++) {
            double d = row[j] - mean[j];
            mean[j] += a * d;
            var[j] = (1 - a) * (var[j] + a * d * d);
            double sd = Math.sqrt(var[j]);
            scratch[j] = sd > 0 ? (row[j] - mean[j]) / sd : 0.0;
        }
        if (pending != null && n >= adoptAt) {
            model = pending.join();
            pending = null;
            training = false;
            adopted++;
        }
        double score = 0.0;
        if (model != null) {
            double raw = model.score(scratch);
            scored++;
            double ra = Math.max(RARITY_ALPHA, 1.0 / scored);
            double spread = Math.sqrt(rarityVar);
            if (scored > 32 && spread > 0) {
                double lambda = -Math.log10(Math.max(Gaussian.q((raw - rarityMean) / spread), 1e-300));
                score = lambda / (lambda + 4.0);
            }
            double d = raw - rarityMean;
            rarityMean += ra * d;
            rarityVar = (1 - ra) * (rarityVar + ra * d * d);
        }
        System.arraycopy(scratch, 0, rows[head], 0, dims);
        head = (head + 1) % rows.length;
        count = Math.min(count + 1, rows.length);
        if (++sinceTraining >= retrainEvery && !training && count >= Math.min(rows.length, 2 * retrainEvery)) {
            sinceTraining = 0;
            scheduleTraining();
        }
        return score;
    }

    private void scheduleTraining() {
        double[][] snapshot = new double[count][];
        for (int i = 0; i < count; i++) {
            snapshot[i] = rows[i].clone();
        }
        training = true;
        adoptAt = n + ADOPT_AFTER;
        // depth limit log2 of the subsample, as in the isolation forest paper; extended (oblique) splits so
        // that a point off a correlation is isolated even when every coordinate is ordinary
        int depth = (int) Math.ceil(Math.log(Math.max(2.0, snapshot.length * SUBSAMPLE)) / Math.log(2.0));
        long seed = n;
        try {
            pending = CompletableFuture.supplyAsync(() -> fit(snapshot, depth, seed), trainer);
        } catch (RejectedExecutionException e) {
            // the trainer is saturated: fit inline rather than let the load decide which model scores what
            pending = CompletableFuture.completedFuture(fit(snapshot, depth, seed));
        }
    }

    /**
     * Fits {@link #TREES} extended isolation trees one after another with the calling thread's Smile random
     * stream seeded by {@code seed}: the same snapshot and seed give the same forest. Each tree sees the rows
     * in its own random order, as Smile's own {@code IsolationForest.fit} (3.1) gives them.
     */
    static IsolationForest fit(double[][] data, int depth, long seed) {
        MathEx.setSeed(seed);
        forgetCachedNormal();
        int extension = data[0].length - 1;
        IsolationTree[] trees = new IsolationTree[TREES];
        for (int k = 0; k < TREES; k++) {
            int[] order = MathEx.permutate(data.length);
            List<double[]> sample = new ArrayList<>(data.length);
            for (int i : order) {
                sample.add(data[i]);
            }
            trees[k] = new IsolationTree(sample, depth, extension);
        }
        return new IsolationForest(data.length, extension, trees);
    }

    /**
     * Smile's trees draw their oblique split directions from the shared {@code GaussianDistribution} singleton,
     * whose polar method caches the second normal of each pair: whatever draw came last (another fit, another
     * thread) would leak into this fit. Clearing that cache makes the fit depend on the seed alone. The field is
     * private to Smile (3.1); if a later version renames it, fits stay correct but may differ run to run.
     */
    private static void forgetCachedNormal() {
        if (CACHED_NORMAL != null) {
            try {
                CACHED_NORMAL.setDouble(GaussianDistribution.getInstance(), Double.NaN);
            } catch (IllegalAccessException e) {
                // unreachable: the field was made accessible when it was looked up
            }
        }
    }

    private static final Field CACHED_NORMAL = cachedNormalField();

    private static Field cachedNormalField() {
        try {
            Field f = GaussianDistribution.class.getDeclaredField("z1");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Number of models adopted so far (0 while the first is training). */
    public long modelsAdopted() {
        return adopted;
    }

    /** Whether a model is in use. */
    public boolean ready() {
        return model != null;
    }

    public int dims() {
        return dims;
    }
}
