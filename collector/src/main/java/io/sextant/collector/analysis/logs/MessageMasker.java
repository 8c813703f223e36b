package io.sextant.collector.analysis.logs;

/**
 * Splits a message into whitespace-separated words and replaces the parts of each word that are obviously variable
 * with {@code <*>}, writing the masked words, separated by single spaces, into a caller-owned buffer.
 *
 * <p>One set of rules for every source, no per-source expressions. Inside a word:
 * <ul>
 *   <li>a segment between {@code , ; : = | " ' [ ] ( ) { } !} that is an absolute path ({@code /a/b}) is a variable;</li>
 *   <li>other segments are split into tokens at {@code . - + @ # $ % & / \ *} (a {@code -} directly before a digit and
 *       after a non-alphanumeric character is a sign, not a split); a token is a variable when it is a number, a
 *       {@code 0x} hex number, or carries at least {@link #MIN_DIGITS_FOR_VARIABLE} digits (ids, hex strings, block and
 *       attempt names). Tokens with fewer digits ({@code eth0}, {@code L3}) stay constant until the miner sees them
 *       vary;</li>
 *   <li>a variable swallows its whole token ({@code blk_-42} becomes {@code <*>}), and variables joined by
 *       {@code .} or by nothing collapse into one ({@code 10.0.0.1} becomes {@code <*>}).</li>
 * </ul>
 *
 * <p>Not thread-safe; allocation-free: the owner reuses one instance and one {@link StringBuilder}.
 */
final class MessageMasker {

    static final String WILDCARD = "<*>";
    /** Dots that make a segment a dotted name ({@code host-7.example.org}); {@code core.42} is not one. */
    static final int MIN_DOTS_FOR_NAME = 2;
    static final int MIN_DIGITS_FOR_VARIABLE = 3;

    private MessageMasker() {
    }

    /**
     * Masks {@code message} into {@code out} (cleared first).
     *
     * @param wordStarts receives the start offset in {@code out} of each word; must be large enough or words beyond
     *                   its length are still written but not indexed
     * @return the number of words
     */
    static int mask(CharSequence message, StringBuilder out, int[] wordStarts) {
        out.setLength(0);
        int n = message.length();
        int words = 0;
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(message.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            boolean angle = false;
            while (i < n && !isSpace(message.charAt(i))) {
                char c = message.charAt(i);
                angle |= c == '<' || c == '>';
                i++;
            }
            if (words > 0 && isProtocolVersion(message, start, i) && endsWithWildcard(out, out.length())) {
                // "GET /path HTTP/1.1": the protocol version belongs to the request target before it
                char last = message.charAt(i - 1);
                if (last == '"' || last == '\'') {
                    out.append(last);
                }
                continue;
            }
            if (words > 0) {
                out.append(' ');
            }
            int wordStart = out.length();
            if (words < wordStarts.length) {
                wordStarts[words] = wordStart;
            }
            words++;
            maskWord(message, start, i, out);
            if (angle) {
                absorbAngleBrackets(out, wordStart);
            }
        }
        return words;
    }

    private static void maskWord(CharSequence s, int start, int end, StringBuilder out) {
        int i = start;
        int url = urlBodyStart(s, start, end);
        if (url > 0) {
            for (int k = start; k < url; k++) {
                out.append(s.charAt(k));
            }
            appendWildcard(out);
            i = urlBodyEnd(s, url, end);
        }
        while (i < end) {
            char c = s.charAt(i);
            int mac = hexPairsEnd(s, i, end);
            if (mac > 0) {
                appendWildcard(out);
                i = mac;
                continue;
            }
            if (isSegmentDelimiter(c)) {
                out.append(c);
                i++;
                continue;
            }
            int segEnd = i;
            while (segEnd < end && !isSegmentDelimiter(s.charAt(segEnd))) {
                segEnd++;
            }
            if (isPath(s, i, segEnd)) {
                appendWildcard(out);
            } else {
                maskSegment(s, i, segEnd, out);
            }
            i = segEnd;
        }
    }

    /** {@code HTTP/1.1}, {@code HTTP/2}, optionally closed by a quote. */
    private static boolean isProtocolVersion(CharSequence s, int start, int end) {
        if (end > start && (s.charAt(end - 1) == '"' || s.charAt(end - 1) == '\'')) {
            end--;
        }
        if (end - start < 6 || s.charAt(start) != 'H' || s.charAt(start + 1) != 'T' || s.charAt(start + 2) != 'T'
                || s.charAt(start + 3) != 'P' || s.charAt(start + 4) != '/') {
            return false;
        }
        for (int i = start + 5; i < end; i++) {
            char c = s.charAt(i);
            if (!isDigit(c) && c != '.') {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code <} right before and {@code >} right after a variable belong to it ({@code msgid=<*>} for
     * {@code msgid=<123@host>}): {@code <<*>} and {@code <*>>} would be ambiguous to read anyway.
     */
    private static void absorbAngleBrackets(StringBuilder out, int from) {
        int len = out.length();
        for (int i = from; i + 3 < len; i++) {
            if (out.charAt(i) == '<' && out.charAt(i + 1) == '<' && out.charAt(i + 2) == '*' && out.charAt(i + 3) == '>') {
                out.deleteCharAt(i);
                len--;
                i--;
            } else if (out.charAt(i) == '<' && out.charAt(i + 1) == '*' && out.charAt(i + 2) == '>'
                    && out.charAt(i + 3) == '>') {
                out.deleteCharAt(i + 3);
                len--;
                i--;
            }
        }
    }

    /** Offset just after {@code scheme://} when the word starts with a URL ({@code hdfs://x}), else -1. */
    private static int urlBodyStart(CharSequence s, int start, int end) {
        int i = start;
        while (i < end && isUrlOpening(s.charAt(i))) {
            i++;
        }
        int schemeStart = i;
        while (i < end && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == '+')) {
            i++;
        }
        if (i == schemeStart || i + 3 >= end || s.charAt(i) != ':' || s.charAt(i + 1) != '/' || s.charAt(i + 2) != '/') {
            return -1;
        }
        return i + 3;
    }

    private static boolean isUrlOpening(char c) {
        return c == '[' || c == '(' || c == '<' || c == '"' || c == '\'' || c == ':';
    }

    /** The URL body runs to the end of the word, less trailing closing punctuation. */
    private static int urlBodyEnd(CharSequence s, int bodyStart, int end) {
        int e = end;
        while (e > bodyStart && isUrlClosing(s.charAt(e - 1))) {
            e--;
        }
        return e;
    }

    private static boolean isUrlClosing(char c) {
        return c == ']' || c == ')' || c == '>' || c == '"' || c == '\'' || c == ',' || c == ';' || c == '.';
    }

    /**
     * End of a run of four or more colon-separated hex pairs starting at {@code i} (MAC addresses, WWNs:
     * {@code 00:11:43:e3:ba:c3}), or -1.
     */
    private static int hexPairsEnd(CharSequence s, int i, int end) {
        int groups = 0;
        int k = i;
        while (k + 1 < end && isHex(s.charAt(k)) && isHex(s.charAt(k + 1))
                && (k + 2 == end || s.charAt(k + 2) == ':' || !isHex(s.charAt(k + 2)))) {
            groups++;
            k += 2;
            if (k < end && s.charAt(k) == ':' && k + 1 < end) {
                k++;
            } else {
                break;
            }
        }
        if (groups < 4) {
            return -1;
        }
        if (s.charAt(k - 1) == ':') {
            k--; // a trailing colon is punctuation, not part of the address
        }
        return (i == 0 || !isHex(s.charAt(i - 1))) ? k : -1;
    }

    /**
     * {@code (/[^/]+)+/?}: starts with a slash, no empty parts (a trailing slash allowed), at least two
     * characters.
     */
    private static boolean isPath(CharSequence s, int start, int end) {
        if (end > start + 2 && s.charAt(end - 1) == '/') {
            end--;
        }
        if (end - start < 2 || s.charAt(start) != '/' || s.charAt(end - 1) == '/') {
            return false;
        }
        for (int i = start + 1; i < end; i++) {
            if (s.charAt(i) == '/' && s.charAt(i - 1) == '/') {
                return false;
            }
        }
        return true;
    }

    /**
     * Masks one segment chunk by chunk, a chunk being a run between slashes ({@code host-1/10.0.0.1}). An
     * angle-bracketed segment with a variable inside ({@code <20051109.jA9J1UvC004306@eadmin1>}) is one variable.
     */
    private static void maskSegment(CharSequence s, int start, int end, StringBuilder out) {
        int mark = out.length();
        maskChunks(s, start, end, out);
        if (end - start > 2 && s.charAt(start) == '<' && s.charAt(end - 1) == '>'
                && indexOfWildcard(out, mark) >= 0) {
            out.setLength(mark);
            appendWildcard(out);
        }
    }

    private static int indexOfWildcard(StringBuilder out, int from) {
        for (int i = from; i + 2 < out.length(); i++) {
            if (out.charAt(i) == '<' && out.charAt(i + 1) == '*' && out.charAt(i + 2) == '>') {
                return i;
            }
        }
        return -1;
    }

    private static void maskChunks(CharSequence s, int start, int end, StringBuilder out) {
        int i = start;
        while (i < end) {
            if (s.charAt(i) == '/') {
                out.append('/');
                i++;
                continue;
            }
            int chunkEnd = i + 1;
            while (chunkEnd < end && s.charAt(chunkEnd) != '/') {
                chunkEnd++;
            }
            maskChunk(s, i, chunkEnd, out);
            i = chunkEnd;
        }
    }

    private static void maskChunk(CharSequence s, int start, int end, StringBuilder out) {
        int mark = out.length();
        int dots = 0;
        boolean digitInFirstLabel = false;
        for (int k = start; k < end && s.charAt(k) != '.'; k++) {
            digitInFirstLabel |= isDigit(s.charAt(k));
        }
        boolean variable = false;
        int i = start;
        while (i < end) {
            char c = s.charAt(i);
            if (isUuidAt(s, i, end) && (i == start || isTokenDelimiter(s.charAt(i - 1)))) {
                variable = true;
                appendWildcard(out);
                i += UUID_LENGTH;
                continue;
            }
            int host = (i == start || (isTokenDelimiter(s.charAt(i - 1)) && s.charAt(i - 1) != '-'))
                    && Character.isLetter(c) && dashFollowsRun(s, i, end) ? numberedHostEnd(s, i, end) : -1;
            if (host > 0) {
                variable = true;
                appendWildcard(out);
                i = host;
                continue;
            }
            if (isTokenDelimiter(c) && !isSign(s, start, i, end)) {
                if (c == '.' && i > start && i + 1 < end && !isTokenDelimiter(s.charAt(i - 1))
                        && !isTokenDelimiter(s.charAt(i + 1))) {
                    dots++;
                }
                out.append(c);
                i++;
                continue;
            }
            int tokEnd = i + 1;
            while (tokEnd < end && !(isTokenDelimiter(s.charAt(tokEnd)) && !isSign(s, start, tokEnd, end))) {
                tokEnd++;
            }
            if (isUnderscoredNumbers(s, i, tokEnd)) {
                variable = true;
                for (int k = i; k < tokEnd; k++) {
                    if (s.charAt(k) == '_') {
                        out.append('_');
                    } else if (k == i || s.charAt(k - 1) == '_') {
                        appendWildcard(out);
                    }
                }
            } else if (isVariable(s, i, tokEnd)) {
                variable = true;
                appendWildcard(out);
            } else {
                for (int k = i; k < tokEnd; k++) {
                    out.append(s.charAt(k));
                }
            }
            i = tokEnd;
        }
        boolean port = end + 1 < s.length() && s.charAt(end) == ':' && isDigit(s.charAt(end + 1));
        if (dots >= MIN_DOTS_FOR_NAME && (variable || digitInFirstLabel || port)) {
            // a dotted name of three or more parts with a variable part, a numbered first label or a port after it
            // (host names, versions): one variable
            out.setLength(mark);
            appendWildcard(out);
        }
    }

    /** The alphanumeric run starting at {@code i} is followed by a dash (cheap test before the host-name scan). */
    private static boolean dashFollowsRun(CharSequence s, int i, int end) {
        int k = i;
        while (k < end && Character.isLetterOrDigit(s.charAt(k))) {
            k++;
        }
        return k < end && s.charAt(k) == '-';
    }

    /**
     * End of a numbered host name starting at {@code i} ({@code mesos-slave-07}, {@code msra-sa-41}: a letter first,
     * two or more dashes, digits last), or -1. Two-part names ({@code node-7}) keep their prefix.
     */
    private static int numberedHostEnd(CharSequence s, int i, int end) {
        if (!Character.isLetter(s.charAt(i))) {
            return -1;
        }
        int dashes = 0;
        int lastDash = -1;
        int k = i;
        while (k < end) {
            char c = s.charAt(k);
            if (c == '-') {
                if (k == lastDash + 1 && lastDash >= 0) {
                    return -1;
                }
                dashes++;
                lastDash = k;
            } else if (!Character.isLetterOrDigit(c)) {
                break;
            }
            k++;
        }
        if (dashes < 2 || lastDash == k - 1) {
            return -1;
        }
        for (int d = lastDash + 1; d < k; d++) {
            if (!isDigit(s.charAt(d))) {
                return -1;
            }
        }
        return k;
    }

    /** {@code 30546173_4261722401}: numbers joined by underscores, each its own variable. */
    private static boolean isUnderscoredNumbers(CharSequence s, int start, int end) {
        boolean underscore = false;
        char prev = '_';
        for (int k = start; k < end; k++) {
            char c = s.charAt(k);
            if (c == '_') {
                if (prev == '_') {
                    return false;
                }
                underscore = true;
            } else if (!isDigit(c)) {
                return false;
            }
            prev = c;
        }
        return underscore && prev != '_';
    }

    private static final int UUID_LENGTH = 36;

    /** {@code 8-4-4-4-12} hex digits starting at {@code i}, not followed by another hex digit. */
    private static boolean isUuidAt(CharSequence s, int i, int end) {
        if (end - i < UUID_LENGTH) {
            return false;
        }
        for (int k = 0; k < UUID_LENGTH; k++) {
            char c = s.charAt(i + k);
            boolean dash = k == 8 || k == 13 || k == 18 || k == 23;
            if (dash ? c != '-' : !isHex(c)) {
                return false;
            }
        }
        return i + UUID_LENGTH == end || !isHex(s.charAt(i + UUID_LENGTH));
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** A '-' before a digit that does not follow a letter or digit is the sign of a number. */
    private static boolean isSign(CharSequence s, int segStart, int i, int end) {
        if (s.charAt(i) != '-' || i + 1 >= end || !isDigit(s.charAt(i + 1))) {
            return false;
        }
        return i == segStart || !Character.isLetterOrDigit(s.charAt(i - 1));
    }

    static boolean isVariable(CharSequence s, int start, int end) {
        int digits = 0;
        int hexLetters = 0;
        int others = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (isDigit(c)) {
                digits++;
            } else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                hexLetters++;
            } else if (c != '-' || i != start) {
                others++;
            }
        }
        if (digits == 0) {
            return isValueWord(s, start, end);
        }
        if (hexLetters == 0 && others == 0) {
            return true; // a number, possibly signed
        }
        int len = end - start;
        if (len > 2 && s.charAt(start) == '0' && (s.charAt(start + 1) == 'x' || s.charAt(start + 1) == 'X')) {
            return true;
        }
        if (others == 0 && len >= 4) {
            return true; // hex: 9f4ef63, fe1a, 0ad3f2c1
        }
        return digits >= MIN_DIGITS_FOR_VARIABLE;
    }

    /**
     * Words that are values rather than wording: null, the usual default user names, timestamp month and day names.
     * Booleans stay: {@code overlap:true} and {@code overlap:false} are usually different events.
     */
    private static boolean isValueWord(CharSequence s, int start, int end) {
        int len = end - start;
        if (len == 3 && Character.isUpperCase(s.charAt(start)) && isCalendarName(s, start)) {
            return true;
        }
        if (len < 4 || len > 5) {
            return false;
        }
        return regionEqualsIgnoreCase(s, start, end, "null") || regionEqualsIgnoreCase(s, start, end, "root")
                || regionEqualsIgnoreCase(s, start, end, "admin");
    }

    private static final String CALENDAR = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec Mon Tue Wed Thu Fri Sat Sun";

    /** English month and weekday abbreviations: parts of timestamps. */
    private static boolean isCalendarName(CharSequence s, int start) {
        for (int i = 0; i < CALENDAR.length(); i += 4) {
            if (CALENDAR.charAt(i) == s.charAt(start) && CALENDAR.charAt(i + 1) == s.charAt(start + 1)
                    && CALENDAR.charAt(i + 2) == s.charAt(start + 2)) {
                return true;
            }
        }
        return false;
    }

    private static boolean regionEqualsIgnoreCase(CharSequence s, int start, int end, String word) {
        if (end - start != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (Character.toLowerCase(s.charAt(start + i)) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static void appendWildcard(StringBuilder out) {
        int len = out.length();
        if (endsWithWildcard(out, len)) {
            return; // <*><*> -> <*>
        }
        if (len >= 4 && out.charAt(len - 1) == '.' && endsWithWildcard(out, len - 1)) {
            out.setLength(len - 1); // <*>.<*> -> <*>
            return;
        }
        out.append(WILDCARD);
    }

    private static boolean endsWithWildcard(StringBuilder out, int len) {
        return len >= 3 && out.charAt(len - 1) == '>' && out.charAt(len - 2) == '*' && out.charAt(len - 3) == '<';
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isDelimiter(char c) {
        return isSegmentDelimiter(c) || isTokenDelimiter(c);
    }

    private static boolean isSegmentDelimiter(char c) {
        switch (c) {
            case ',': case ';': case ':': case '=': case '|': case '"': case '\'':
            case '[': case ']': case '(': case ')': case '{': case '}': case '!':
                return true;
            default:
                return false;
        }
    }

    private static boolean isTokenDelimiter(char c) {
        switch (c) {
            case '.': case '-': case '+': case '@': case '#': case '$': case '%': case '&':
            case '/': case '\\': case '*': case '<': case '>':
                return true;
            default:
                return false;
        }
    }
}
