package io.sextant.collector.store;

/**
 * Receives decoded (time, value) samples.
 */
@FunctionalInterface
public interface SampleConsumer
{
    /**
     * @param timeMillis Unix epoch milliseconds.
     * @param value      the value.
     */
    void accept(long timeMillis, double value);
}
