package io.sextant.collector.remediation;

import io.sextant.collector.analysis.Signal;
import io.sextant.collector.analysis.anomaly.Severity;
import io.sextant.collector.api.SignalJson;

import java.util.Map;

/**
 * A {@link Signal} seen as a remediation subject. The key is the signal's subject (its series key or
 * template), so that a recurring anomaly on the same series shares one cooldown.
 */
record SignalSubject(Signal signal) implements Subject
{
    @Override
    public String id()
    {
        return signal.id();
    }

    @Override
    public Kind kind()
    {
        return Kind.ANOMALY;
    }

    @Override
    public String key()
    {
        return signal.subject().isEmpty() ? signal.service() : signal.subject();
    }

    @Override
    public String service()
    {
        return signal.service();
    }

    @Override
    public Severity severity()
    {
        return signal.severity();
    }

    @Override
    public String title()
    {
        return signal.summary().isEmpty() ? signal.kind() + " on " + signal.subject() : signal.summary();
    }

    @Override
    public Map<String, String> labels()
    {
        return signal.labels();
    }

    @Override
    public String signalKind()
    {
        return signal.kind().name();
    }

    @Override
    public String causeKind()
    {
        return "";
    }

    @Override
    public String causeSubject()
    {
        return "";
    }

    @Override
    public Map<String, Object> json()
    {
        return SignalJson.of(signal);
    }
}
