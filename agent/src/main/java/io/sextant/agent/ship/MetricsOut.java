package io.sextant.agent.ship;

import io.sextant.protocol.SeriesKind;
import org.HdrHistogram.AbstractHistogram;

/**
 * Where metric samplers write: define series once, then append samples each interval. Implemented
 * by the sender; called only on the sender thread.
 */
public interface MetricsOut
{
    /**
     * @param kind   counter, gauge or histogram.
     * @param name   metric name.
     * @param unit   unit.
     * @param labels key, value, key, value...
     * @return the series id, stable for the agent's lifetime.
     */
    int define(SeriesKind kind, String name, String unit, String... labels);

    /**
     * @param series a defined series.
     * @param value  the value.
     */
    void sample(int series, double value);

    /**
     * @param series a defined series.
     * @param value  the value.
     */
    void sampleLong(int series, long value);

    /**
     * @param series    a defined histogram series.
     * @param histogram the interval's distribution.
     */
    void histogram(int series, AbstractHistogram histogram);
}
