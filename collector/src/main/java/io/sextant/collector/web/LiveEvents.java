package io.sextant.collector.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sextant.collector.analysis.AnalysisContext;
import io.sextant.collector.analysis.AnalysisStage;
import io.sextant.collector.analysis.Signal;
import io.sextant.collector.analysis.correlate.IncidentBoard;
import io.sextant.collector.analysis.correlate.IncidentSnapshot;
import io.sextant.collector.api.ApiModule;
import io.sextant.collector.api.BadParameterException;
import io.sextant.collector.api.SignalJson;
import io.sextant.collector.http.EventHub;
import io.sextant.collector.http.Request;
import io.sextant.collector.http.Response;
import io.sextant.collector.remediation.Action;
import io.sextant.collector.remediation.RemediationStage;
import io.sextant.collector.store.HistogramSeries;
import io.sextant.collector.store.LogEntry;
import io.sextant.collector.store.MetricSeries;
import org.HdrHistogram.Histogram;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Live updates for the dashboard: {@code GET /api/v1/stream} answers server-sent events, fed from the
 * analysis thread as a last stage. Events: {@code hello} (on connect), {@code signal} (every signal
 * published live, in its API form), {@code incident} (an incident opened or changed: state, members,
 * severity or top cause), {@code action} (a remediation action created or changed state, including an
 * approval made through the API), {@code ingest} (samples and log records analysed since the last such
 * event, at most one a second) and {@code heartbeat}.
 *
 * <p>Nothing is sent while the journal is replayed; incidents and actions are compared once a second (on
 * the analysis tick) with what was last announced. Publishing never blocks the analysis thread: see
 * {@link EventHub}. With no client connected the stage does no work beyond counting.
 */
public final class LiveEvents implements AnalysisStage, ApiModule, AutoCloseable
{
    /** Events held per client before a slow client is dropped. */
    static final int QUEUE_EVENTS = 1_024;
    static final long DEFAULT_HEARTBEAT_MILLIS = 15_000;
    static final long INGEST_EVERY_MILLIS = 1_000;
    private static final int ACTIONS_COMPARED = 1_000;

    private final EventHub hub;
    private final IncidentBoard incidents;
    private final RemediationStage remediation;
    private final LongSupplier wallClock;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, String> incidentVersions = new HashMap<>();
    private final Map<String, String> actionVersions = new HashMap<>();
    private AnalysisContext context;
    private long samples;
    private long logs;
    private long lastIngestMillis;

    /**
     * @param incidents   the correlation stage's board (null: no incident events).
     * @param remediation the remediation stage (null: no action events).
     * @param wallClock   Unix millis.
     */
    public LiveEvents(final IncidentBoard incidents, final RemediationStage remediation, final LongSupplier wallClock)
    {
        this.hub = new EventHub(QUEUE_EVENTS, wallClock);
        this.incidents = incidents;
        this.remediation = remediation;
        this.wallClock = wallClock;
    }

    /** @return the hub, for its counters. */
    public EventHub hub()
    {
        return hub;
    }

    // ---- HTTP threads ----------------------------------------------------------------------------

    @Override
    public Object respond(final Request request)
    {
        if (!request.path().equals("/api/v1/stream"))
        {
            return null;
        }
        if (!request.method().equals("GET"))
        {
            return Response.text(405, "method " + request.method() + " not allowed on /api/v1/stream; use GET\n")
                .withHeader("Allow", "GET");
        }
        long heartbeat = DEFAULT_HEARTBEAT_MILLIS;
        final String text = request.param("heartbeat");
        if (text != null)
        {
            try
            {
                heartbeat = Math.round(Double.parseDouble(text) * 1000);
            }
            catch (final NumberFormatException ex)
            {
                throw new BadParameterException("heartbeat", "'" + text + "' is not a number of seconds");
            }
            if (!(heartbeat >= 100 && heartbeat <= 300_000))
            {
                throw new BadParameterException("heartbeat", "'" + text + "' is outside 0.1 to 300 seconds");
            }
        }
        final Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("time", wallClock.getAsLong() / 1000.0);
        hello.put("heartbeat", heartbeat / 1000.0);
        hello.put("live", context != null && !context.replaying());
        return hub.subscribe(heartbeat, write(hello));
    }

    // ---- the analysis thread ---------------------------------------------------------------------

    @Override
    public void start(final AnalysisContext context)
    {
        this.context = context;
    }

    @Override
    public void onSample(final MetricSeries series, final long timeMillis, final double value)
    {
        samples++;
    }

    @Override
    public void onHistogram(final HistogramSeries series, final long timeMillis, final Histogram snapshot)
    {
        samples++;
    }

    @Override
    public void onLog(final LogEntry entry)
    {
        logs++;
    }

    @Override
    public void onSignal(final Signal signal)
    {
        if (!context.replaying() && hub.hasClients())
        {
            hub.publish("signal", write(SignalJson.of(signal)));
        }
    }

    @Override
    public void onCaughtUp()
    {
        // What the replay rebuilt is not news: remember it without announcing it.
        compareIncidents(false);
        compareActions(false);
        samples = 0;
        logs = 0;
    }

    @Override
    public void onTick(final long nowMillis)
    {
        if (context.replaying())
        {
            return;
        }
        final boolean announce = hub.hasClients();
        compareIncidents(announce);
        compareActions(announce);
        if (nowMillis - lastIngestMillis >= INGEST_EVERY_MILLIS && samples + logs > 0)
        {
            if (announce)
            {
                final Map<String, Object> m = new LinkedHashMap<>();
                m.put("time", nowMillis / 1000.0);
                m.put("samples", samples);
                m.put("logs", logs);
                hub.publish("ingest", write(m));
            }
            lastIngestMillis = nowMillis;
            samples = 0;
            logs = 0;
        }
    }

    private void compareIncidents(final boolean announce)
    {
        if (incidents == null)
        {
            return;
        }
        for (final IncidentSnapshot s : incidents.all())
        {
            final String top = s.causes().isEmpty() ? "" : s.causes().get(0).toString();
            final String version = s.state() + '|' + s.severity() + '|' + s.members().size() + '|' + s.endMillis() +
                '|' + top.hashCode();
            final String before = incidentVersions.put(s.id(), version);
            if (announce && !version.equals(before))
            {
                final Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", s.id());
                m.put("change", before == null ? "opened" : "updated");
                m.put("title", s.title());
                m.put("state", s.state());
                m.put("severity", s.severity().name());
                m.put("services", s.services());
                m.put("memberCount", s.members().size());
                m.put("causeCount", s.causes().size());
                hub.publish("incident", write(m));
            }
        }
        if (incidentVersions.size() > 2 * Math.max(16, incidents.size()))
        {
            incidentVersions.keySet().removeIf(id -> incidents.get(id) == null);
        }
    }

    private void compareActions(final boolean announce)
    {
        if (remediation == null)
        {
            return;
        }
        final List<Action> actions = remediation.actions(a -> true, ACTIONS_COMPARED);
        for (final Action a : actions)
        {
            final String version = a.state().name() + '|' + a.updatedMillis();
            final String before = actionVersions.put(a.id(), version);
            if (announce && !version.equals(before))
            {
                final Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", a.id());
                m.put("change", before == null ? "created" : "updated");
                m.put("rule", a.rule());
                m.put("kind", a.kind());
                m.put("incident", a.subjectId());
                m.put("state", a.state().name());
                m.put("updated", a.updatedMillis() / 1000.0);
                m.put("actor", a.actor());
                hub.publish("action", write(m));
            }
        }
        if (actionVersions.size() > 2 * ACTIONS_COMPARED)
        {
            actionVersions.keySet().removeIf(id -> remediation.action(id) == null);
        }
    }

    private String write(final Object value)
    {
        try
        {
            return json.writeValueAsString(value);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write an event as JSON", ex);
        }
    }

    @Override
    public String name()
    {
        return "live-events";
    }

    @Override
    public void close()
    {
        hub.close();
    }
}
