package io.sextant.collector.analysis.logs;

/**
 * Turns an unformatted message pattern, as logging libraries keep it, into a template: SLF4J/Log4j {@code {}},
 * {@link java.text.MessageFormat} {@code {0}} / {@code {1,number}}, and {@link java.util.Formatter} {@code %s},
 * {@code %d}, {@code %5.2f}, ... become {@code <*>}; {@code %%} and {@code %n} stay literal; whitespace is collapsed.
 */
final class PatternTemplates {

    private PatternTemplates() {
    }

    static String toTemplate(String pattern) {
        StringBuilder out = new StringBuilder(pattern.length() + 8);
        int n = pattern.length();
        int i = 0;
        while (i < n) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < n && pattern.charAt(i + 1) == '{') {
                out.append('{'); // SLF4J escape
                i += 2;
                continue;
            }
            if (c == '{') {
                int close = pattern.indexOf('}', i + 1);
                if (close > i && isMessageFormatArgument(pattern, i + 1, close)) {
                    out.append(MessageMasker.WILDCARD);
                    i = close + 1;
                    continue;
                }
            }
            if (c == '%' && i + 1 < n) {
                int end = formatSpecifierEnd(pattern, i + 1);
                if (end > 0) {
                    out.append(MessageMasker.WILDCARD);
                    i = end;
                    continue;
                }
            }
            out.append(MessageMasker.isSpace(c) ? ' ' : c);
            i++;
        }
        return collapseSpaces(out);
    }

    /** Empty ({@code {}}) or starting with an argument index ({@code {0}}, {@code {1,number,#}}). */
    private static boolean isMessageFormatArgument(String p, int start, int end) {
        if (start == end) {
            return true;
        }
        int i = start;
        while (i < end && Character.isDigit(p.charAt(i))) {
            i++;
        }
        return i > start && (i == end || p.charAt(i) == ',');
    }

    /** End (exclusive) of a {@code %[flags][width][.precision]conversion} specifier, or -1. */
    private static int formatSpecifierEnd(String p, int start) {
        int i = start;
        int n = p.length();
        while (i < n && "-#+ 0,(".indexOf(p.charAt(i)) >= 0) {
            i++;
        }
        while (i < n && Character.isDigit(p.charAt(i))) {
            i++;
        }
        if (i < n && p.charAt(i) == '.') {
            i++;
            while (i < n && Character.isDigit(p.charAt(i))) {
                i++;
            }
        }
        if (i >= n) {
            return -1;
        }
        char conv = p.charAt(i);
        if ("sSdfxXeEgGcCboOhHaA".indexOf(conv) >= 0) {
            return i + 1;
        }
        if ((conv == 't' || conv == 'T') && i + 1 < n) {
            return i + 2;
        }
        return -1;
    }

    private static String collapseSpaces(StringBuilder s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ') {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }
}
