package io.sextant.collector.remediation;

import io.sextant.collector.analysis.AnalysisContext;
import io.sextant.collector.analysis.AnalysisStage;
import io.sextant.collector.analysis.Signal;
import io.sextant.collector.analysis.anomaly.Severity;
import io.sextant.collector.store.LogEntry;

import java.util.Map;

/**
 * Stands in for a detector in tests that run a whole collector: a log record {@code FAULT name} from
 * an agent becomes a critical LOG_ANOMALY with id {@code fault-name}, key {@code fault.name}, on the
 * logging agent's service and instance.
 */
final class FaultDetector implements AnalysisStage
{
    private AnalysisContext context;

    @Override
    public void start(final AnalysisContext context)
    {
        this.context = context;
    }

    @Override
    public void onLog(final LogEntry e)
    {
        if (e.message().startsWith("FAULT "))
        {
            final String name = e.message().substring("FAULT ".length()).trim();
            final long t = e.timeNanos() / 1_000_000;
            context.publish(new Signal("fault-" + name, Signal.Kind.LOG_ANOMALY, "test", e.service(), "fault." + name,
                Map.of("instance", e.agent(), "service", e.service()), t, t, 0.9, Severity.CRITICAL, Double.NaN,
                Double.NaN, Double.NaN, true, "fault " + name));
        }
    }
}
