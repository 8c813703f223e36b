package io.sextant.collector.analysis.logs;

import java.util.ArrayList;
import java.util.List;

/**
 * Merges two different masked words that sit at the same position of one template: their pieces (runs between
 * delimiters) are aligned, and a piece that differs becomes {@code <*>} when it can be a variable. Two words with
 * different delimiter structure, or whose differing pieces are different plain words ({@code ee0} vs {@code alt0},
 * {@code GET} vs {@code POST}), do not merge: they are different templates.
 *
 * <p>Runs only when a line misses the miner's hash table, so it may allocate.
 */
final class WordMerge {

    private static final String WILDCARD = MessageMasker.WILDCARD;

    private WordMerge() {
    }

    /** The merged word, or {@code null} when the two words cannot be the same template position. */
    static String merge(String a, String b) {
        if (a.equals(b)) {
            return a;
        }
        if (!hasDigitOrWildcard(a) && !hasDigitOrWildcard(b)) {
            return null; // every differing piece would be digit-free wording: not a value (the common miss)
        }
        if (a.equals(WILDCARD) || b.equals(WILDCARD)) {
            // a value never merges with bare punctuation: "****" or "-" in place of a reading is its own event
            return isBarePunctuation(a) || isBarePunctuation(b) ? null : WILDCARD;
        }
        List<String> pa = pieces(a);
        List<String> pb = pieces(b);
        if (pa.size() != pb.size()) {
            return null;
        }
        StringBuilder out = new StringBuilder(a.length());
        for (int i = 0; i < pa.size(); i++) {
            String x = pa.get(i);
            String y = pb.get(i);
            if (x.equals(y)) {
                out.append(x);
                continue;
            }
            if (isDelimiterPiece(x) || isDelimiterPiece(y) || !mayVary(x, y)) {
                return null;
            }
            appendWildcard(out);
        }
        return out.toString();
    }

    /**
     * The coarse merge of two words of different shapes: one variable, keeping the punctuation both words start and
     * end with ({@code 10.0.0.1,} and {@code LOCAL(0),} give {@code <*>,}).
     */
    static String wrap(String a, String b) {
        int max = Math.min(a.length(), b.length());
        int common = 0;
        while (common < max && a.charAt(common) == b.charAt(common)) {
            common++;
        }
        int p = common; // cut back to just after the last punctuation of the common prefix
        while (p > 0 && !isPunctuation(a.charAt(p - 1))) {
            p--;
        }
        int commonEnd = 0;
        while (commonEnd < max - p && a.charAt(a.length() - 1 - commonEnd) == b.charAt(b.length() - 1 - commonEnd)) {
            commonEnd++;
        }
        int q = commonEnd; // cut back to the first punctuation of the common suffix
        while (q > 0 && !isPunctuation(a.charAt(a.length() - q))) {
            q--;
        }
        return a.substring(0, p) + WILDCARD + a.substring(a.length() - q);
    }

    private static boolean hasDigitOrWildcard(String w) {
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if ((c >= '0' && c <= '9') || c == '*') {
                return true;
            }
        }
        return false;
    }

    private static boolean isBarePunctuation(String w) {
        if (w.equals(WILDCARD)) {
            return false;
        }
        for (int i = 0; i < w.length(); i++) {
            if (Character.isLetterOrDigit(w.charAt(i)) || w.startsWith(WILDCARD, i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPunctuation(char c) {
        return MessageMasker.isDelimiter(c) && c != '<' && c != '>' && c != '*';
    }

    /** Whether two different pieces can be values of one variable. */
    static boolean mayVary(String x, String y) {
        if (x.equals(WILDCARD) || y.equals(WILDCARD)) {
            // inside a word, a plain word is wording, not a value: user=<*> (root) and user=guest stay apart
            return !isPlainWord(x.equals(WILDCARD) ? y : x);
        }
        int dx = digits(x);
        int dy = digits(y);
        if (dx == 0 || dy == 0) {
            return false;
        }
        if (lettersOf(x).equals(lettersOf(y))) {
            return true; // node7 / node12, 3a / 4f
        }
        if (dx * 2 >= x.length() && dy * 2 >= y.length()) {
            return true; // mostly digits
        }
        return x.length() == y.length() && hamming(x, y) * 3 <= x.length(); // host_A8 / host_C5, eadmin1 / badmin1
    }

    /** Letters only, and not all of them hex digits ({@code ffffffff} is a value). */
    private static boolean isPlainWord(String s) {
        boolean nonHex = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isLetter(c)) {
                return false;
            }
            nonHex |= !((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
        }
        return nonHex;
    }

    private static int hamming(String x, String y) {
        int d = 0;
        for (int i = 0; i < x.length(); i++) {
            if (x.charAt(i) != y.charAt(i)) {
                d++;
            }
        }
        return d;
    }

    private static int digits(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                n++;
            }
        }
        return n;
    }

    private static String lettersOf(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void appendWildcard(StringBuilder out) {
        int len = out.length();
        if (len >= 3 && out.charAt(len - 1) == '>' && out.charAt(len - 2) == '*' && out.charAt(len - 3) == '<') {
            return;
        }
        if (len >= 4 && out.charAt(len - 1) == '.' && out.charAt(len - 2) == '>' && out.charAt(len - 3) == '*'
                && out.charAt(len - 4) == '<') {
            out.setLength(len - 1);
            return;
        }
        out.append(WILDCARD);
    }

    private static boolean isDelimiterPiece(String p) {
        return p.length() == 1 && MessageMasker.isDelimiter(p.charAt(0));
    }

    /** Splits a masked word into wildcards, single delimiter characters and the runs between them. */
    static List<String> pieces(String word) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = word.length();
        while (i < n) {
            if (word.startsWith(WILDCARD, i)) {
                out.add(WILDCARD);
                i += 3;
                continue;
            }
            char c = word.charAt(i);
            if (MessageMasker.isDelimiter(c)) {
                out.add(String.valueOf(c));
                i++;
                continue;
            }
            int end = i + 1;
            while (end < n && !MessageMasker.isDelimiter(word.charAt(end)) && !word.startsWith(WILDCARD, end)) {
                end++;
            }
            out.add(word.substring(i, end));
            i = end;
        }
        return out;
    }
}
