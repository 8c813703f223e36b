package io.sextant.collector.store;

import java.util.regex.Pattern;

/**
 * A label matcher of a series selector: {@code label op "value"}, with op one of {@code =},
 * {@code !=}, {@code =~} and {@code !~} (regular expressions match the whole value). A missing
 * label has the value "".
 *
 * @param label   label name ({@code __name__} for the metric name).
 * @param op      operator.
 * @param value   value or regular expression.
 * @param pattern compiled regular expression for the regex operators, else null.
 */
public record Matcher(String label, Op op, String value, Pattern pattern)
{
    /** Matcher operators. */
    public enum Op
    {
        EQ("="), NE("!="), RE("=~"), NRE("!~");

        private final String text;

        Op(final String text)
        {
            this.text = text;
        }

        public String text()
        {
            return text;
        }
    }

    public static Matcher of(final String label, final Op op, final String value)
    {
        return new Matcher(label, op, value,
            op == Op.RE || op == Op.NRE ? Pattern.compile(value) : null);
    }

    public boolean matches(final String actual)
    {
        switch (op)
        {
            case EQ: return value.equals(actual);
            case NE: return !value.equals(actual);
            case RE: return pattern.matcher(actual).matches();
            default: return !pattern.matcher(actual).matches();
        }
    }
}
