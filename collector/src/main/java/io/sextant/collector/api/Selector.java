package io.sextant.collector.api;

import io.sextant.collector.store.Catalog;
import io.sextant.collector.store.Matcher;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * Parses a series selector in the Prometheus style: {@code name}, {@code name{label="value", ...}} or
 * {@code {label=~"regex"}}, with operators {@code =}, {@code !=}, {@code =~}, {@code !~}. Metric names
 * may contain letters, digits, {@code _ . : -}.
 */
public final class Selector
{
    private final String parameter;
    private final String text;
    private int pos;

    private Selector(final String parameter, final String text)
    {
        this.parameter = parameter;
        this.text = text;
    }

    /**
     * @param parameter the query parameter's name, for error messages.
     * @param text      the selector.
     * @return the matchers (the name becomes a {@code __name__} matcher).
     * @throws BadParameterException saying where and why.
     */
    public static List<Matcher> parse(final String parameter, final String text)
    {
        if (text == null || text.isBlank())
        {
            throw new BadParameterException(parameter, "missing; expected a selector such as " +
                "jvm.memory.used{service=\"checkout\"}");
        }
        return new Selector(parameter, text.trim()).selector();
    }

    private List<Matcher> selector()
    {
        final List<Matcher> matchers = new ArrayList<>();
        final String name = identifier(true);
        if (!name.isEmpty())
        {
            matchers.add(Matcher.of(Catalog.NAME_LABEL, Matcher.Op.EQ, name));
        }
        skipSpaces();
        if (pos < text.length() && text.charAt(pos) == '{')
        {
            pos++;
            skipSpaces();
            while (pos < text.length() && text.charAt(pos) != '}')
            {
                final String label = identifier(false);
                if (label.isEmpty())
                {
                    throw error("expected a label name");
                }
                skipSpaces();
                final Matcher.Op op = operator();
                skipSpaces();
                final String value = quoted();
                try
                {
                    matchers.add(Matcher.of(label, op, value));
                }
                catch (final PatternSyntaxException ex)
                {
                    throw new BadParameterException(parameter, "invalid regular expression for label '" + label +
                        "': " + ex.getDescription());
                }
                skipSpaces();
                if (pos < text.length() && text.charAt(pos) == ',')
                {
                    pos++;
                    skipSpaces();
                }
                else if (pos >= text.length() || text.charAt(pos) != '}')
                {
                    throw error("expected ',' or '}'");
                }
            }
            if (pos >= text.length())
            {
                throw error("missing closing '}'");
            }
            pos++;
        }
        skipSpaces();
        if (pos != text.length())
        {
            throw error("unexpected character '" + text.charAt(pos) + "'");
        }
        if (matchers.isEmpty())
        {
            throw new BadParameterException(parameter, "selector matches nothing: give a metric name or a matcher");
        }
        return matchers;
    }

    private String identifier(final boolean metricName)
    {
        final int start = pos;
        while (pos < text.length())
        {
            final char c = text.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '_' || (metricName && (c == '.' || c == ':' || c == '-')) ||
                (!metricName && c == '.'))
            {
                pos++;
            }
            else
            {
                break;
            }
        }
        return text.substring(start, pos);
    }

    private Matcher.Op operator()
    {
        if (text.startsWith("=~", pos))
        {
            pos += 2;
            return Matcher.Op.RE;
        }
        if (text.startsWith("!~", pos))
        {
            pos += 2;
            return Matcher.Op.NRE;
        }
        if (text.startsWith("!=", pos))
        {
            pos += 2;
            return Matcher.Op.NE;
        }
        if (text.startsWith("=", pos))
        {
            pos += 1;
            return Matcher.Op.EQ;
        }
        throw error("expected one of = != =~ !~");
    }

    private String quoted()
    {
        if (pos >= text.length() || (text.charAt(pos) != '"' && text.charAt(pos) != '\''))
        {
            throw error("expected a quoted value");
        }
        final char quote = text.charAt(pos++);
        final StringBuilder sb = new StringBuilder();
        while (pos < text.length() && text.charAt(pos) != quote)
        {
            char c = text.charAt(pos++);
            if (c == '\\' && pos < text.length())
            {
                c = text.charAt(pos++);
            }
            sb.append(c);
        }
        if (pos >= text.length())
        {
            throw error("unterminated quoted value");
        }
        pos++;
        return sb.toString();
    }

    private void skipSpaces()
    {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos)))
        {
            pos++;
        }
    }

    private BadParameterException error(final String what)
    {
        return new BadParameterException(parameter, what + " at position " + pos + " in '" + text + "'");
    }
}
