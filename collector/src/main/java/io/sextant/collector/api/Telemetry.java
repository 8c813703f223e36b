package io.sextant.collector.api;

import java.util.List;
import java.util.Map;

/**
 * What the running collector tells the API about itself: readiness, agents, services and
 * self-metrics. Implemented by the process wiring; any thread.
 */
public interface Telemetry
{
    /** One self-metric sample for {@code /metrics}. */
    record Metric(String name, String type, String help, Map<String, String> labels, double value)
    {
    }

    /**
     * @return true once the journal has been replayed into the store and servers are listening.
     */
    boolean ready();

    /**
     * @return agent sessions with their health.
     */
    List<Map<String, Object>> agents();

    /**
     * @return self-metrics.
     */
    List<Metric> metrics();

    /**
     * @return a status summary (journal indexes and lag, ring fill, counts).
     */
    Map<String, Object> status();
}
