package io.sextant.agent.bridge;

/**
 * Where inference captured by instrumentation of model libraries (Smile) goes. Lives on the
 * bootstrap class path next to {@link SextantBridge}, because the advice is inlined into the
 * library's classes, which the application's class loader (or a child of it) loads.
 *
 * <p>Only the outermost instrumented call on a thread is recorded: an ensemble or a wrapper that
 * calls other models' {@code predict} internally is one inference, the one the application asked
 * for. The nesting depth is kept per thread in a one-element array (allocated once per thread).
 *
 * <p>{@link #sink} is written once by the agent and read by application threads inside model
 * calls. Implementations must never throw, block or log.
 */
public abstract class InferenceBridge
{
    /** {@link #enter()} result: nothing to record (no agent, or the advice failed). */
    public static final long SKIP = 0;
    /** {@link #enter()} result: a call inside another instrumented call. */
    public static final long NESTED = Long.MIN_VALUE;

    /** The agent's sink, or null when no agent records model calls. */
    public static volatile InferenceBridge sink;

    private static final ThreadLocal<int[]> DEPTH = new ThreadLocal<>();

    /**
     * Called on entry to an instrumented {@code predict}.
     *
     * @return {@link #SKIP}, {@link #NESTED}, or the start time ({@code System.nanoTime()}) of an
     *         outermost call.
     */
    public static long enter()
    {
        if (sink == null)
        {
            return SKIP;
        }
        int[] depth = DEPTH.get();
        if (depth == null)
        {
            depth = new int[1];
            DEPTH.set(depth);
        }
        if (depth[0]++ > 0)
        {
            return NESTED;
        }
        final long now = System.nanoTime();
        return now == SKIP || now == NESTED ? 1 : now;
    }

    /**
     * Called on exit from an instrumented classifier {@code predict}, normal or exceptional.
     *
     * @param start      what {@link #enter()} returned.
     * @param model      the model instance.
     * @param input      the first argument.
     * @param posteriori the second argument of {@code predict(x, posteriori)}, or null.
     * @param predicted  the returned class (meaningless when thrown is set).
     * @param thrown     the exception thrown, or null.
     */
    public static void exitClass(final long start, final Object model, final Object input, final Object posteriori,
        final int predicted, final Throwable thrown)
    {
        if (start == SKIP || !leave() || start == NESTED)
        {
            return;
        }
        final InferenceBridge s = sink;
        if (s != null)
        {
            s.classified(model, System.nanoTime() - start, input,
                posteriori instanceof double[] ? (double[])posteriori : null, predicted, thrown);
        }
    }

    /**
     * Called on exit from an instrumented regression {@code predict}, normal or exceptional.
     *
     * @param start  what {@link #enter()} returned.
     * @param model  the model instance.
     * @param input  the argument.
     * @param value  the returned value (meaningless when thrown is set).
     * @param thrown the exception thrown, or null.
     */
    public static void exitNumber(final long start, final Object model, final Object input, final double value,
        final Throwable thrown)
    {
        if (start == SKIP || !leave() || start == NESTED)
        {
            return;
        }
        final InferenceBridge s = sink;
        if (s != null)
        {
            s.regressed(model, System.nanoTime() - start, input, value, thrown);
        }
    }

    private static boolean leave()
    {
        final int[] depth = DEPTH.get();
        if (depth == null || depth[0] <= 0)
        {
            return false;
        }
        depth[0]--;
        return true;
    }

    /**
     * One classification.
     *
     * @param model        the model instance.
     * @param latencyNanos how long the call took.
     * @param input        the model's input.
     * @param posteriori   the posterior probabilities the model filled in, or null.
     * @param predicted    the predicted class index.
     * @param thrown       the exception the call threw, or null.
     */
    public abstract void classified(Object model, long latencyNanos, Object input, double[] posteriori, int predicted,
        Throwable thrown);

    /**
     * One regression.
     *
     * @param model        the model instance.
     * @param latencyNanos how long the call took.
     * @param input        the model's input.
     * @param value        the predicted value.
     * @param thrown       the exception the call threw, or null.
     */
    public abstract void regressed(Object model, long latencyNanos, Object input, double value, Throwable thrown);
}
