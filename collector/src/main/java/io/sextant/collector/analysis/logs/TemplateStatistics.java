package io.sextant.collector.analysis.logs;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Per-template statistics of one service's logs over fixed time windows, and the log anomalies derived from them.
 *
 * <p>Fed one line at a time with {@link #record(int, int, long)} (template id from {@link TemplateMiner}, the
 * protocol's level code, the line's time). Time is the lines' own time: a window closes when a line or
 * {@link #advance(long)} reaches its end, so replaying the journal reproduces the same anomalies.
 *
 * <p>Anomalies, handed to the {@link Listener} as they are found:
 * <ul>
 *   <li>{@link LogAnomaly.Kind#NEW_ERROR_TEMPLATE}, at once, when a template never seen before arrives at
 *       {@code ERROR} or above after the warm-up;</li>
 *   <li>{@link LogAnomaly.Kind#RATE_SPIKE} when a window closes with a template's count far above its baseline (mean
 *       and deviation of the previous windows, Poisson floor on the deviation);</li>
 *   <li>{@link LogAnomaly.Kind#RATE_VANISHED} when a template present in nearly every baseline window at a steady
 *       rate has none in the closed window;</li>
 *   <li>{@link LogAnomaly.Kind#ERROR_BURST} when the window's error-level lines, all templates together, are far
 *       above their baseline; the anomaly names the template with most error lines in the window.</li>
 * </ul>
 *
 * <p><b>Threading:</b> single writer (the analysis thread that owns the miner). Snapshots are immutable.
 * <b>Bounds:</b> memory is {@code O(templates x historyWindows)}; template ids come from a bounded miner.
 */
public final class TemplateStatistics {

    /** Receives anomalies on the writer thread. */
    @FunctionalInterface
    public interface Listener {
        void onAnomaly(LogAnomaly anomaly);
    }

    /** Protocol level code of ERROR ({@code io.sextant.protocol.LogLevel.ERROR}). */
    public static final int ERROR_LEVEL_CODE = 5;
    private static final int LEVELS = 8;
    /** Score of a never-seen template at ERROR: worth a look on its own, decisive together with other signals. */
    static final double NEW_ERROR_SCORE = 0.6;
    /** Score of a never-seen template at FATAL. */
    static final double NEW_FATAL_SCORE = 0.8;

    /**
     * Tunables, one set for every service.
     *
     * @param windowMillis window length
     * @param historyWindows closed windows kept as the baseline
     * @param minHistoryWindows closed windows needed before rate anomalies are judged
     * @param warmupMillis time after the first line during which new templates are expected, not anomalous
     * @param spikeZ deviations above the baseline mean that make a spike or a burst
     * @param spikeMinCount fewest lines in a window that can be a spike or a burst
     * @param vanishMinMean lowest baseline mean per window whose absence counts as vanishing
     * @param vanishMinPresence share of baseline windows the template must have appeared in to vanish
     */
    public record Config(long windowMillis, int historyWindows, int minHistoryWindows, long warmupMillis,
                         double spikeZ, int spikeMinCount, double vanishMinMean, double vanishMinPresence) {

        /** One-minute windows, one hour of baseline. */
        public static Config defaults() {
            return new Config(60_000, 60, 10, 600_000, 6.0, 10, 5.0, 0.9);
        }

        public Config {
            if (windowMillis <= 0 || historyWindows < 2 || minHistoryWindows < 2 || minHistoryWindows > historyWindows) {
                throw new IllegalArgumentException("bad window configuration");
            }
        }
    }

    private final String service;
    private final Config config;
    private final IntFunction<String> templateText;
    private final Listener listener;

    private long windowStart = Long.MIN_VALUE;
    private long firstMillis = Long.MIN_VALUE;
    private int closedWindows;
    private int templates;
    private long[] firstSeen = new long[64];
    private long[] lastSeen = new long[64];
    private long[] totals = new long[64];
    private long[] levels = new long[64 * LEVELS];
    private int[] current = new int[64];
    private int[] currentErrors = new int[64];
    /** Set when a template was reported vanished; cleared by its next line, so a silence is reported once. */
    private boolean[] vanished = new boolean[64];
    /** Closed-window counts, ring of {@code historyWindows} per template. */
    private int[] history = new int[0];
    private final int[] errorHistory;
    private int currentErrorTotal;

    /**
     * @param service the service whose logs these are
     * @param config tunables
     * @param templateText resolves a template id to its current text (usually {@link TemplateMiner#templateText})
     * @param listener receives anomalies
     */
    public TemplateStatistics(String service, Config config, IntFunction<String> templateText, Listener listener) {
        this.service = Objects.requireNonNull(service, "service");
        this.config = Objects.requireNonNull(config, "config");
        this.templateText = Objects.requireNonNull(templateText, "templateText");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.history = new int[64 * config.historyWindows()];
        this.errorHistory = new int[config.historyWindows()];
    }

    /**
     * Counts one line.
     *
     * @param templateId id from the miner ({@link TemplateMiner#OVERFLOW} lines are ignored)
     * @param levelCode the protocol's level code (1 TRACE ... 6 FATAL; 0 or unknown codes count as unknown)
     * @param timeMillis the line's time, Unix milliseconds; lines older than the open window count in it
     */
    public void record(int templateId, int levelCode, long timeMillis) {
        if (templateId < 0) {
            return;
        }
        if (firstMillis == Long.MIN_VALUE) {
            firstMillis = timeMillis;
            windowStart = timeMillis - Math.floorMod(timeMillis, config.windowMillis());
        }
        advance(timeMillis);
        boolean isNew = templateId >= templates || totals[templateId] == 0;
        ensure(templateId);
        int level = levelCode >= 0 && levelCode < LEVELS ? levelCode : 0;
        boolean error = level >= ERROR_LEVEL_CODE;
        if (isNew) {
            firstSeen[templateId] = timeMillis;
        }
        lastSeen[templateId] = Math.max(lastSeen[templateId], timeMillis);
        totals[templateId]++;
        levels[templateId * LEVELS + level]++;
        current[templateId]++;
        vanished[templateId] = false;
        if (error) {
            currentErrors[templateId]++;
            currentErrorTotal++;
        }
        if (isNew && error && timeMillis - firstMillis >= config.warmupMillis()) {
            double score = level > ERROR_LEVEL_CODE ? NEW_FATAL_SCORE : NEW_ERROR_SCORE;
            listener.onAnomaly(LogAnomaly.of(LogAnomaly.Kind.NEW_ERROR_TEMPLATE, templateId,
                    templateText.apply(templateId), service, timeMillis, timeMillis, score, 1, 0));
        }
    }

    /** Closes every window that ends at or before {@code nowMillis} (call it when no lines arrive). */
    public void advance(long nowMillis) {
        if (windowStart == Long.MIN_VALUE) {
            return;
        }
        int closedNow = 0;
        while (nowMillis - (windowStart + config.windowMillis()) >= 0) {
            closeWindow();
            windowStart += config.windowMillis();
            if (++closedNow > config.historyWindows()) {
                // a long silence: the remaining empty windows change nothing more; jump to the current one
                long behind = (nowMillis - windowStart) / config.windowMillis();
                windowStart += behind * config.windowMillis();
            }
        }
    }

    private void closeWindow() {
        int h = config.historyWindows();
        int slot = closedWindows % h;
        int baseline = Math.min(closedWindows, h);
        long end = windowStart + config.windowMillis() - 1;
        if (baseline >= config.minHistoryWindows()) {
            for (int t = 0; t < templates; t++) {
                judgeTemplate(t, baseline, end);
            }
            judgeErrors(baseline, end);
        }
        for (int t = 0; t < templates; t++) {
            history[t * h + slot] = current[t];
            current[t] = 0;
            currentErrors[t] = 0;
        }
        errorHistory[slot] = currentErrorTotal;
        currentErrorTotal = 0;
        closedWindows++;
    }

    private void judgeTemplate(int t, int baseline, long end) {
        int h = config.historyWindows();
        double sum = 0;
        double sumSq = 0;
        int present = 0;
        for (int i = 0; i < baseline; i++) {
            int c = history[t * h + i];
            sum += c;
            sumSq += (double) c * c;
            if (c > 0) {
                present++;
            }
        }
        double mean = sum / baseline;
        double sd = Math.sqrt(Math.max(0, sumSq / baseline - mean * mean));
        int count = current[t];
        double z = (count - mean) / Math.max(sd, Math.sqrt(Math.max(mean, 1.0)));
        if (count >= config.spikeMinCount() && z >= config.spikeZ()) {
            listener.onAnomaly(LogAnomaly.of(LogAnomaly.Kind.RATE_SPIKE, t, templateText.apply(t), service,
                    windowStart, end, excessScore(z, config.spikeZ()), count, mean));
        } else if (count == 0 && !vanished[t] && mean >= config.vanishMinMean()
                && present >= config.vanishMinPresence() * baseline) {
            vanished[t] = true;
            // 0.5 at the lowest mean that counts, rising towards 1 as the silence gets less likely (Poisson)
            double score = 1.0 - 0.5 * Math.exp(-(mean - config.vanishMinMean()));
            listener.onAnomaly(LogAnomaly.of(LogAnomaly.Kind.RATE_VANISHED, t, templateText.apply(t), service,
                    windowStart, end, score, 0, mean));
        }
    }

    private void judgeErrors(int baseline, long end) {
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < baseline; i++) {
            sum += errorHistory[i];
            sumSq += (double) errorHistory[i] * errorHistory[i];
        }
        double mean = sum / baseline;
        double sd = Math.sqrt(Math.max(0, sumSq / baseline - mean * mean));
        int count = currentErrorTotal;
        double z = (count - mean) / Math.max(sd, Math.sqrt(Math.max(mean, 1.0)));
        if (count >= config.spikeMinCount() && z >= config.spikeZ()) {
            int top = LogAnomaly.NO_TEMPLATE;
            for (int t = 0; t < templates; t++) {
                if (currentErrors[t] > 0 && (top < 0 || currentErrors[t] > currentErrors[top])) {
                    top = t;
                }
            }
            listener.onAnomaly(LogAnomaly.of(LogAnomaly.Kind.ERROR_BURST, top,
                    top < 0 ? "" : templateText.apply(top), service, windowStart, end, excessScore(z, config.spikeZ()), count, mean));
        }
    }

    /** 0.5 at the threshold, 0.75 at twice the threshold, towards 1 beyond. */
    static double excessScore(double z, double threshold) {
        return Math.min(1.0, Math.max(0.0, 1.0 - 0.5 * threshold / z));
    }

    /** Statistics of one template, or {@code null} when it has no lines. */
    public TemplateStats stats(int templateId) {
        if (templateId < 0 || templateId >= templates || totals[templateId] == 0) {
            return null;
        }
        int h = config.historyWindows();
        int baseline = Math.min(closedWindows, h);
        long[] windows = new long[baseline + 1];
        double sum = 0;
        for (int i = 0; i < baseline; i++) {
            int slot = (closedWindows - baseline + i) % h;
            windows[i] = history[templateId * h + slot];
            sum += windows[i];
        }
        windows[baseline] = current[templateId];
        double mean = baseline == 0 ? 0 : sum / baseline;
        double trend = (current[templateId] - mean) / Math.max(1.0, mean);
        return new TemplateStats(templateId, firstSeen[templateId], lastSeen[templateId], totals[templateId],
                Arrays.copyOfRange(levels, templateId * LEVELS, templateId * LEVELS + LEVELS), windows, trend);
    }

    /**
     * Folds the statistics of {@code from} into {@code into}, for when the miner folded one template into another
     * ({@link TemplateMiner#resolve(int)}): counts, levels, windows and first/last seen are added to {@code into} and
     * {@code from} is emptied, so that its lines, now counted under {@code into}, do not look like a vanished template.
     */
    public void fold(int from, int into) {
        if (from == into || from < 0 || into < 0 || from >= templates || totals[from] == 0) {
            return;
        }
        ensure(into);
        if (totals[into] == 0 || firstSeen[from] < firstSeen[into]) {
            firstSeen[into] = firstSeen[from];
        }
        lastSeen[into] = Math.max(lastSeen[into], lastSeen[from]);
        totals[into] += totals[from];
        for (int l = 0; l < LEVELS; l++) {
            levels[into * LEVELS + l] += levels[from * LEVELS + l];
            levels[from * LEVELS + l] = 0;
        }
        current[into] += current[from];
        currentErrors[into] += currentErrors[from];
        int h = config.historyWindows();
        for (int i = 0; i < h; i++) {
            history[into * h + i] += history[from * h + i];
            history[from * h + i] = 0;
        }
        vanished[into] = vanished[into] && vanished[from];
        totals[from] = 0;
        current[from] = 0;
        currentErrors[from] = 0;
        vanished[from] = false;
        firstSeen[from] = 0;
        lastSeen[from] = 0;
    }

    /** Start of the open window, Unix milliseconds ({@code Long.MIN_VALUE} before the first line). */
    public long windowStartMillis() {
        return windowStart;
    }

    /** Time of the first line, Unix milliseconds ({@code Long.MIN_VALUE} before it). */
    public long firstMillis() {
        return firstMillis;
    }

    /** The tunables. */
    public Config config() {
        return config;
    }

    /** Number of template ids tracked (the highest id seen plus one). */
    public int templateIds() {
        return templates;
    }

    private void ensure(int id) {
        if (id < templates) {
            return;
        }
        int capacity = firstSeen.length;
        if (id >= capacity) {
            int n = Math.max(id + 1, capacity * 2);
            firstSeen = Arrays.copyOf(firstSeen, n);
            lastSeen = Arrays.copyOf(lastSeen, n);
            totals = Arrays.copyOf(totals, n);
            levels = Arrays.copyOf(levels, n * LEVELS);
            current = Arrays.copyOf(current, n);
            currentErrors = Arrays.copyOf(currentErrors, n);
            vanished = Arrays.copyOf(vanished, n);
            history = Arrays.copyOf(history, n * config.historyWindows());
        }
        templates = id + 1;
    }
}
