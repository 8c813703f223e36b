package io.sextant.collector.remediation;

import io.sextant.collector.analysis.anomaly.Severity;
import io.sextant.collector.analysis.correlate.Cause;
import io.sextant.collector.analysis.correlate.IncidentSnapshot;
import io.sextant.collector.api.SignalJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An incident of the correlation stage seen as a remediation subject. The key is the top cause (its
 * kind and subject), or the first service when no cause is ranked, so that the same problem coming back
 * as a new incident shares one cooldown.
 */
record IncidentSubject(IncidentSnapshot incident) implements Subject
{
    private Cause top()
    {
        return incident.causes().isEmpty() ? null : incident.causes().get(0);
    }

    @Override
    public String id()
    {
        return incident.id();
    }

    @Override
    public Kind kind()
    {
        return Kind.INCIDENT;
    }

    @Override
    public String key()
    {
        final Cause top = top();
        return top != null ? top.kind() + ":" + top.subject() : service();
    }

    @Override
    public String service()
    {
        final Cause top = top();
        if (top != null && !top.service().isEmpty())
        {
            return top.service();
        }
        return incident.services().isEmpty() ? "" : incident.services().get(0);
    }

    @Override
    public Severity severity()
    {
        return incident.severity();
    }

    @Override
    public String title()
    {
        return incident.title();
    }

    @Override
    public Map<String, String> labels()
    {
        final Map<String, String> labels = new LinkedHashMap<>();
        labels.put("services", String.join(",", incident.services()));
        labels.put("state", incident.state());
        if (incident.predicted())
        {
            labels.put("predicted", "true");
        }
        return labels;
    }

    @Override
    public String signalKind()
    {
        return "";
    }

    @Override
    public String causeKind()
    {
        final Cause top = top();
        return top == null ? "" : top.kind();
    }

    @Override
    public String causeSubject()
    {
        final Cause top = top();
        return top == null ? "" : top.subject();
    }

    @Override
    public Map<String, Object> json()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", incident.id());
        m.put("title", incident.title());
        m.put("state", incident.state());
        m.put("severity", incident.severity().name());
        m.put("start", incident.startMillis() / 1000.0);
        m.put("end", incident.endMillis() / 1000.0);
        m.put("services", incident.services());
        m.put("predicted", incident.predicted());
        final List<Map<String, Object>> causes = new ArrayList<>();
        for (final Cause c : incident.causes().subList(0, Math.min(3, incident.causes().size())))
        {
            final Map<String, Object> cause = new LinkedHashMap<>();
            cause.put("rank", c.rank());
            cause.put("kind", c.kind());
            cause.put("subject", c.subject());
            cause.put("service", c.service());
            cause.put("score", SignalJson.number(c.score()));
            cause.put("evidence", c.evidence());
            causes.add(cause);
        }
        m.put("causes", causes);
        m.put("memberCount", incident.members().size());
        return m;
    }
}
