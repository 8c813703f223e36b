package io.sextant.collector.api;

import io.sextant.collector.analysis.Signal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON form of a {@link Signal} (see {@code collector/API.md}): times in Unix seconds, NaN as null.
 */
public final class SignalJson
{
    private SignalJson()
    {
    }

    public static Map<String, Object> of(final Signal s)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("kind", s.kind().name());
        m.put("source", s.source());
        m.put("service", s.service());
        m.put("subject", s.subject());
        m.put("labels", s.labels());
        m.put("start", s.startMillis() / 1000.0);
        m.put("end", s.endMillis() / 1000.0);
        m.put("score", number(s.score()));
        m.put("severity", s.severity().name());
        m.put("observed", number(s.observed()));
        m.put("expectedLow", number(s.expectedLow()));
        m.put("expectedHigh", number(s.expectedHigh()));
        m.put("open", s.open());
        m.put("summary", s.summary());
        return m;
    }

    /**
     * @return the value, or null when it is NaN or infinite (JSON has no such numbers).
     */
    public static Double number(final double v)
    {
        return Double.isFinite(v) ? v : null;
    }
}
