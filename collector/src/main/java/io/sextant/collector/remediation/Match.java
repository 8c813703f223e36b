package io.sextant.collector.remediation;

import io.sextant.collector.analysis.anomaly.Severity;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The conditions of a rule; every condition given must hold. Text conditions are globs ({@code *}
 * any characters, {@code ?} one); a list of globs matches when any of them does.
 *
 * @param kind         the subject kind, or null for both
 * @param signalKinds  signal kinds an anomaly must have (empty: any); incidents never match a non-empty set
 * @param services     globs for the service (empty: any)
 * @param minSeverity  lowest severity that matches
 * @param labels       label name to glob; {@code *} means "present with any value"
 * @param causeKinds   globs for the top cause's kind (empty: any)
 * @param causeSubject glob for the top cause's subject, or null
 * @param key          glob for the subject's key (series, template, ...), or null
 */
record Match(Subject.Kind kind, Set<String> signalKinds, List<Pattern> services, Severity minSeverity,
    Map<String, Pattern> labels, List<Pattern> causeKinds, Pattern causeSubject, Pattern key)
{
    boolean matches(final Subject s)
    {
        if (kind != null && s.kind() != kind)
        {
            return false;
        }
        if (!signalKinds.isEmpty() && !signalKinds.contains(s.signalKind()))
        {
            return false;
        }
        if (!services.isEmpty() && !any(services, s.service()))
        {
            return false;
        }
        if (s.severity().compareTo(minSeverity) < 0)
        {
            return false;
        }
        for (final Map.Entry<String, Pattern> e : labels.entrySet())
        {
            final String value = s.labels().get(e.getKey());
            if (value == null || !e.getValue().matcher(value).matches())
            {
                return false;
            }
        }
        if (!causeKinds.isEmpty() && !any(causeKinds, s.causeKind()))
        {
            return false;
        }
        if (causeSubject != null && !causeSubject.matcher(s.causeSubject()).matches())
        {
            return false;
        }
        return key == null || key.matcher(s.key()).matches();
    }

    private static boolean any(final List<Pattern> patterns, final String value)
    {
        for (final Pattern p : patterns)
        {
            if (p.matcher(value).matches())
            {
                return true;
            }
        }
        return false;
    }

    /** A glob ({@code *}, {@code ?}) as an anchored regular expression. */
    static Pattern glob(final String glob)
    {
        final StringBuilder re = new StringBuilder();
        final StringBuilder literal = new StringBuilder();
        for (final char c : glob.toCharArray())
        {
            if (c == '*' || c == '?')
            {
                if (literal.length() > 0)
                {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(c == '*' ? ".*" : ".");
            }
            else
            {
                literal.append(c);
            }
        }
        if (literal.length() > 0)
        {
            re.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
