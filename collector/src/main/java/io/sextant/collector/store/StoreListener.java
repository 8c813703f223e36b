package io.sextant.collector.store;

import org.HdrHistogram.Histogram;

/**
 * Sees everything the store accepts, in journal order, on the store tailer thread, so that later
 * stages (the analysis) are fed from the journal and rebuild the same state on a replay. An
 * implementation must not block for long: it hands the data over and returns.
 */
public interface StoreListener
{
    /**
     * A metric sample was appended to {@code series}.
     */
    void onSample(MetricSeries series, long timeMillis, double value);

    /**
     * A histogram snapshot was appended; {@code snapshot} is not changed afterwards by the store.
     */
    void onHistogram(HistogramSeries series, long timeMillis, Histogram snapshot);

    /**
     * A log record was stored.
     */
    void onLog(LogEntry entry);

    /**
     * Any other decoded record an applier wants analysed (a model event, an inference record, a label,
     * a change event): immutable objects whose type the receiving stage knows.
     */
    void onEvent(Object event);

    /**
     * The tailer reached the end of the journal for the first time after start-up: what follows is live.
     */
    void onCaughtUp();

    /**
     * Journal time moved on to {@code receivedMillis} (a whole second): called before the first record
     * received in that second, and, once live, while the journal is idle, for the second that
     * {@link StoreTailer#IDLE_SLACK_MILLIS} ago was. Every record handed over later was received at or
     * after it, so a replay of the journal sees the same times between the same records, and analysis
     * that closes windows on time does so at the same place in the data live and on a replay.
     */
    default void onJournalTime(final long receivedMillis)
    {
    }

    /**
     * A listener that ignores everything.
     */
    StoreListener NONE = new StoreListener()
    {
        @Override
        public void onSample(final MetricSeries series, final long timeMillis, final double value)
        {
        }

        @Override
        public void onHistogram(final HistogramSeries series, final long timeMillis, final Histogram snapshot)
        {
        }

        @Override
        public void onLog(final LogEntry entry)
        {
        }

        @Override
        public void onEvent(final Object event)
        {
        }

        @Override
        public void onCaughtUp()
        {
        }
    };
}
