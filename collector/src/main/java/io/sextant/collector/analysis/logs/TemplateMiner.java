package io.sextant.collector.analysis.logs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * Streaming log-template miner: assigns every log line, one at a time, to a template with a stable id.
 *
 * <p><b>Threading:</b> single writer. One analysis thread owns an instance and calls {@link #match(CharSequence)} and
 * {@link #matchPattern(String)}; other threads read only the immutable {@link LogTemplate} snapshots it hands out.
 *
 * <p><b>How a line is matched.</b>
 * <ol>
 *   <li>When the agent supplies the unformatted pattern ({@code "User {} logged in"}), the template is exact: the
 *       placeholders ({@code {}}, {@code {0}}, {@code %s}, {@code %d}, ...) become {@code <*>} and the pattern is the
 *       key. See {@link #matchPattern(String)}.</li>
 *   <li>Otherwise the line is split into words and the obviously variable parts are masked ({@link MessageMasker}:
 *       numbers, ids, hex, UUIDs, IPs and ports, paths, URLs, numbered host names, timestamps). The masked line is
 *       looked up in a hash table that the caller's buffer probes directly: the steady state costs one pass over the
 *       line and one probe, and allocates nothing.</li>
 *   <li>On a miss the line is compared position by position with the templates of the same word count. It joins the
 *       one it agrees with most when every differing word can be a value: the words' pieces (runs between
 *       punctuation) align and differ only where both carry digits or variables ({@link WordMerge}); or a single
 *       word differs and both sides look like values ({@code 10.0.0.1,} vs {@code LOCAL(0),}); or a unit after a
 *       number differs ({@code KB} vs {@code B}). The template gains a variable there and keeps its id.</li>
 *   <li>A template that gains a variable folds in the other templates it now covers; five templates differing
 *       only in one plain word (never the first) make that word a variable and fold too. A folded id stays valid:
 *       {@link #resolve(int)} maps it to the surviving template.</li>
 *   <li>Otherwise the line starts a new template.</li>
 * </ol>
 * One configuration serves every source: no per-source expressions or settings. Plain words are wording until
 * shown otherwise, so {@code GET}/{@code POST} or {@code opened}/{@code closed} stay different templates.
 *
 * <p><b>Bounds:</b> at most {@code maxTemplates} templates, {@code maxKeys} cached masked lines and
 * {@code maxWords} words per line (longer lines are matched on their first {@code maxWords - 1} words plus the rest
 * as one). When the templates are full, lines that match none get {@link #OVERFLOW} and are counted in
 * {@link #overflowed()}; when the cache is full, new masked lines are matched without being cached. A cache miss
 * is compared with at most {@link #MAX_CANDIDATES} templates of its word count.
 */
public final class TemplateMiner {

    /** Id returned when the template table is full and the line matches nothing. */
    public static final int OVERFLOW = -1;
    /** Default bound on the number of templates. */
    public static final int MAX_TEMPLATES_DEFAULT = 100_000;
    /** Default bound on the words of a line that take part in matching. */
    public static final int MAX_WORDS_DEFAULT = 256;
    /**
     * Most templates of one word count a cache miss is compared with (the newest ones), so that a miss costs
     * {@code O(MAX_CANDIDATES x words)} however many templates there are. Templates beyond that still match every
     * masked line already cached for them.
     */
    static final int MAX_CANDIDATES = 256;
    /** Default bound on the distinct masked lines cached. */
    public static final int MAX_KEYS_DEFAULT = 1_000_000;

    private static final String WILDCARD = MessageMasker.WILDCARD;
    /**
     * Siblings differing in one plain word that make that word a variable. Five: HTTP methods and the states of
     * most enumerations come in fewer (chosen once for every source, trying 3 to 6 on Loghub-2k).
     */
    static final int WORD_VARIABLE_SIBLINGS = 5;

    private final int maxTemplates;
    private final int maxKeys;
    private final StringBuilder masked = new StringBuilder(256);
    private final int[] wordStarts;
    private final KeyTable<Cluster> byKey = new KeyTable<>();
    private final HashMap<String, Cluster> byPattern = new HashMap<>();
    private final ArrayList<Cluster> byId = new ArrayList<>();
    private final ArrayList<ArrayList<Cluster>> byLength = new ArrayList<>();
    /** Ids folded into other templates, in the order they were folded (each at most once: bounded by the ids). */
    private int[] folded = new int[16];
    private int foldedCount;
    private long overflowed;
    private long merges;
    private long templateMerges;
    private long uncached;

    /** A miner with the default bounds. */
    public TemplateMiner() {
        this(MAX_TEMPLATES_DEFAULT, MAX_WORDS_DEFAULT, MAX_KEYS_DEFAULT);
    }

    /**
     * @param maxTemplates most templates kept
     * @param maxWords most words of a line that take part in matching
     */
    public TemplateMiner(int maxTemplates, int maxWords) {
        this(maxTemplates, maxWords, MAX_KEYS_DEFAULT);
    }

    /**
     * @param maxTemplates most templates kept
     * @param maxWords most words of a line that take part in matching
     * @param maxKeys most distinct masked lines cached
     */
    public TemplateMiner(int maxTemplates, int maxWords, int maxKeys) {
        if (maxTemplates < 1 || maxWords < 1 || maxKeys < 1) {
            throw new IllegalArgumentException("bounds must be positive");
        }
        this.maxTemplates = maxTemplates;
        this.maxKeys = maxKeys;
        this.wordStarts = new int[maxWords];
    }

    /**
     * Matches one log message mined from its text.
     *
     * @return the template id (stable), or {@link #OVERFLOW}
     */
    public int match(CharSequence message) {
        int words = MessageMasker.mask(message, masked, wordStarts);
        Cluster hit = byKey.get(masked);
        if (hit != null) {
            while (hit.into != null) {
                hit = hit.into;
            }
            hit.count++;
            return hit.id;
        }
        return matchSlow(masked.toString(), Math.min(words, wordStarts.length));
    }

    /**
     * Matches one message whose unformatted pattern is known ({@code "User {} logged in"}); the template is exact.
     *
     * @return the template id (stable), or {@link #OVERFLOW}
     */
    public int matchPattern(String pattern) {
        Cluster hit = byPattern.get(pattern);
        if (hit == null) {
            if (byId.size() >= maxTemplates) {
                overflowed++;
                return OVERFLOW;
            }
            String text = PatternTemplates.toTemplate(pattern);
            hit = new Cluster(byId.size(), split(text), true);
            byId.add(hit);
            byPattern.put(pattern, hit);
        }
        hit.count++;
        return hit.id;
    }

    private int matchSlow(String key, int words) {
        String[] tokens = words(key, words);
        ArrayList<Cluster> bucket = bucket(words);
        Cluster best = null;
        int bestSame = -1;
        for (int c = firstCandidate(bucket), size = bucket.size(); c < size; c++) {
            Cluster cluster = bucket.get(c);
            int same = sameWords(cluster.tokens, tokens);
            if (same > bestSame && same * 2 >= words && compatible(cluster.tokens, tokens)) {
                best = cluster;
                bestSame = same;
            }
        }
        if (best == null && words >= 3) {
            // one word differs and both sides carry a value, but their shapes differ (10.0.0.1, vs LOCAL(0),)
            for (int c = firstCandidate(bucket), size = bucket.size(); c < size; c++) {
                Cluster cluster = bucket.get(c);
                if (sameWords(cluster.tokens, tokens) == words - 1 && oneValueWordDiffers(cluster.tokens, tokens)) {
                    best = cluster;
                    break;
                }
            }
        }
        if (best != null) {
            if (best.absorb(tokens)) {
                absorbCovered(best, bucket);
            }
            merges++;
            best.count++;
            cache(key, best);
            return best.id;
        }
        if (byId.size() >= maxTemplates) {
            overflowed++;
            return OVERFLOW;
        }
        Cluster created = new Cluster(byId.size(), tokens, false);
        created.count = 1;
        byId.add(created);
        bucket.add(created);
        cache(key, created);
        foldSiblings(created, bucket);
        return resolve(created.id);
    }

    private void cache(String key, Cluster cluster) {
        if (byKey.size() < maxKeys) {
            byKey.put(key, cluster);
        } else {
            uncached++;
        }
    }

    /** Masked lines not cached because the cache was full. */
    public long uncached() {
        return uncached;
    }

    /**
     * After {@code widened} gained a variable, folds in every other template of the same length it now covers: the
     * folded template's id stays valid and resolves to {@code widened} ({@link #resolve(int)}).
     */
    private void absorbCovered(Cluster widened, ArrayList<Cluster> bucket) {
        for (int c = bucket.size() - 1, first = firstCandidate(bucket); c >= first; c--) {
            Cluster other = bucket.get(c);
            if (other != widened && covers(widened.tokens, other.tokens)) {
                other.into = widened;
                widened.count += other.count;
                if (foldedCount == folded.length) {
                    folded = Arrays.copyOf(folded, foldedCount * 2);
                }
                folded[foldedCount++] = other.id;
                bucket.remove(c);
                templateMerges++;
            }
        }
    }

    /**
     * When {@link #WORD_VARIABLE_SIBLINGS} templates of one length differ only in one position, each holding a plain
     * word there ({@code user alice}, {@code user bob}, ...), that position is a variable, not wording: the oldest
     * template gains a variable there and folds in the others. Fewer siblings than that stay apart: they are more
     * likely states of an enumeration ({@code LOOKING}, {@code FOLLOWING}, {@code LEADING}).
     */
    private void foldSiblings(Cluster created, ArrayList<Cluster> bucket) {
        String[] t = created.tokens;
        if (t.length < 2) {
            return;
        }
        int[] siblings = new int[t.length];
        Cluster[] oldest = new Cluster[t.length];
        for (int c = firstCandidate(bucket), size = bucket.size(); c < size; c++) {
            Cluster other = bucket.get(c);
            if (other == created) {
                continue;
            }
            int differs = onlyDifference(other.tokens, t);
            // the first word names the event: never a variable this way
            if (differs > 0 && isPlainWord(t[differs]) && isPlainWord(other.tokens[differs])) {
                siblings[differs]++;
                if (oldest[differs] == null || other.id < oldest[differs].id) {
                    oldest[differs] = other;
                }
            }
        }
        for (int p = 1; p < t.length; p++) {
            if (siblings[p] + 1 >= WORD_VARIABLE_SIBLINGS) {
                Cluster survivor = oldest[p];
                survivor.tokens[p] = WILDCARD;
                survivor.text = null;
                absorbCovered(survivor, bucket);
                return;
            }
        }
    }

    /** The one position where the two differ, or -1 when they differ in none or in several. */
    private static int onlyDifference(String[] a, String[] b) {
        int at = -1;
        for (int i = 0; i < a.length; i++) {
            if (!a[i].equals(b[i])) {
                if (at >= 0) {
                    return -1;
                }
                at = i;
            }
        }
        return at;
    }

    private static final java.util.Set<String> UNITS = java.util.Set.of(
            "B", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB", "TiB", "bytes", "k", "K", "M", "G",
            "ns", "us", "ms", "s", "sec", "secs", "seconds", "min", "mins", "minutes", "h", "hours");

    private static boolean isUnitOrVariable(String word) {
        return isUnit(word) || (word.startsWith(WILDCARD) && isPunctuationOnlyAfter(word, WILDCARD.length()));
    }

    private static boolean isPunctuationOnlyAfter(String word, int from) {
        for (int i = from; i < word.length(); i++) {
            if (Character.isLetterOrDigit(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A unit after a number varies with it ({@code 5.2 KB}, {@code 384 B}); trailing punctuation ignored. */
    static boolean isUnit(String word) {
        int end = word.length();
        while (end > 0 && !Character.isLetter(word.charAt(end - 1))) {
            end--;
        }
        return end > 0 && UNITS.contains(end == word.length() ? word : word.substring(0, end));
    }

    private static boolean isPlainWord(String w) {
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if (!Character.isLetter(c) && c != '_' && c != '-') {
                return false;
            }
        }
        return !w.isEmpty();
    }

    private static boolean covers(String[] template, String[] tokens) {
        for (int i = 0; i < tokens.length; i++) {
            String t = template[i];
            if (!t.equals(tokens[i])) {
                String merged = WordMerge.merge(t, tokens[i]);
                if (merged == null || !merged.equals(t)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The id a template id stands for now: itself, or the template it was folded into when that one gained a
     * variable that covers it. Callers that keep ids (statistics, the API) map old ids through this.
     */
    public int resolve(int id) {
        if (id < 0) {
            return id;
        }
        Cluster c = byId.get(id);
        while (c.into != null) {
            c = c.into;
        }
        return c.id;
    }

    /** Templates folded into others so far. */
    public long templateMerges() {
        return templateMerges;
    }

    /**
     * The {@code i}-th template id folded into another ({@code 0 <= i < }{@link #templateMerges()}), in folding order,
     * so that an owner who keeps ids can follow the folds since it last looked without scanning every template.
     */
    public int foldedId(int i) {
        if (i < 0 || i >= foldedCount) {
            throw new IndexOutOfBoundsException("fold " + i + " of " + foldedCount);
        }
        return folded[i];
    }

    /** Positions where the template and the line agree (a template wildcard agrees with anything). */
    static int sameWords(String[] template, String[] tokens) {
        int same = 0;
        for (int i = 0; i < tokens.length; i++) {
            String t = template[i];
            if (t == WILDCARD || t.equals(tokens[i])) {
                same++;
            }
        }
        return same;
    }

    private static boolean oneValueWordDiffers(String[] template, String[] tokens) {
        for (int i = 0; i < tokens.length; i++) {
            String t = template[i];
            if (t != WILDCARD && !t.equals(tokens[i])) {
                String w = tokens[i];
                return isValueLike(t) && isValueLike(w);
            }
        }
        return false;
    }

    /** Holds a masked variable, is mostly digits, or is an empty value: {@code <*>,}, {@code 42ms}, {@code ()}. */
    private static boolean isValueLike(String word) {
        if (word.contains(WILDCARD) || isPunctuationOnly(word)) {
            return true;
        }
        int digits = 0;
        int alnum = 0;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            }
            if (Character.isLetterOrDigit(c)) {
                alnum++;
            }
        }
        return alnum > 0 && digits * 2 >= alnum;
    }

    /** An empty value between brackets or quotes: {@code ()}, {@code "",}, {@code []}. */
    private static boolean isPunctuationOnly(String word) {
        boolean bracket = false;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == '"' || c == '\'') {
                bracket = true;
            } else if (c != ',' && c != ';' && c != ':' && c != '.') {
                return false;
            }
        }
        return bracket;
    }

    /** Whether every differing position can be a variable (see {@link WordMerge#merge(String, String)}). */
    static boolean compatible(String[] template, String[] tokens) {
        for (int i = 0; i < tokens.length; i++) {
            String t = template[i];
            if (!t.equals(tokens[i]) && WordMerge.merge(t, tokens[i]) == null
                    && !(i > 0 && template[i - 1].endsWith(WILDCARD) && isUnitOrVariable(t) && isUnit(tokens[i]))) {
                return false;
            }
        }
        return true;
    }

    /** Index of the oldest template a miss is compared with: the newest {@link #MAX_CANDIDATES} only. */
    private static int firstCandidate(ArrayList<Cluster> bucket) {
        return Math.max(0, bucket.size() - MAX_CANDIDATES);
    }

    private ArrayList<Cluster> bucket(int words) {
        while (byLength.size() <= words) {
            byLength.add(new ArrayList<>());
        }
        return byLength.get(words);
    }

    private String[] words(String key, int words) {
        String[] tokens = new String[words];
        for (int i = 0; i < words; i++) {
            int start = wordStarts[i];
            int end = i + 1 < words ? wordStarts[i + 1] - 1 : key.length();
            tokens[i] = end - start == 3 && key.startsWith(WILDCARD, start) ? WILDCARD : key.substring(start, end);
        }
        return tokens;
    }

    private static String[] split(String text) {
        return text.isEmpty() ? new String[0] : text.split(" ");
    }

    /** Current text of a template (of the template it was folded into, if it was). */
    public String templateText(int id) {
        return byId.get(resolve(id)).text();
    }

    /** Snapshot of a template (of the template it was folded into, if it was). */
    public LogTemplate template(int id) {
        Cluster c = byId.get(resolve(id));
        return new LogTemplate(c.id, c.text(), c.count, c.exact);
    }

    /** Snapshots of every live template (not folded into another), by id. */
    public List<LogTemplate> templates() {
        List<LogTemplate> out = new ArrayList<>(byId.size());
        for (int i = 0; i < byId.size(); i++) {
            if (byId.get(i).into == null) {
                out.add(template(i));
            }
        }
        return out;
    }

    /** Number of template ids handed out (including templates folded into others). */
    public int templateCount() {
        return byId.size();
    }

    /** Lines refused because the template table was full. */
    public long overflowed() {
        return overflowed;
    }

    /** Times a line widened an existing template. */
    public long merges() {
        return merges;
    }

    /** One template's mutable state, owned by the miner's thread. */
    private static final class Cluster {
        final int id;
        final String[] tokens;
        final boolean exact;
        long count;
        /** The template this one was folded into, or null while it is live. */
        Cluster into;
        private String text;

        Cluster(int id, String[] tokens, boolean exact) {
            this.id = id;
            this.tokens = tokens;
            this.exact = exact;
        }

        /** Widens the template to cover {@code line}; true when it changed. */
        boolean absorb(String[] line) {
            boolean changed = false;
            for (int i = 0; i < tokens.length; i++) {
                if (!tokens[i].equals(line[i]) && !tokens[i].equals(WILDCARD)) {
                    String merged = WordMerge.merge(tokens[i], line[i]);
                    if (merged == null) {
                        merged = WordMerge.wrap(tokens[i], line[i]);
                    }
                    tokens[i] = merged.equals(WILDCARD) ? WILDCARD : merged;
                    text = null;
                    changed = true;
                }
            }
            return changed;
        }

        String text() {
            if (text == null) {
                text = String.join(" ", Arrays.asList(tokens));
            }
            return text;
        }
    }
}
