package io.sextant.agent.record;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class SlotHistogramTest
{
    @Test
    void slotsAreHdrHistogramBucketsSoEachIntervalEqualsARecordedHdrHistogram()
    {
        final SlotHistogram slots = new SlotHistogram();
        final SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 3; round++)
        {
            final Histogram expected = new Histogram(1, SlotHistogram.MAX, 2);
            for (int i = 0; i < 20_000; i++)
            {
                // every magnitude from 0 to past the maximum
                final long value = random.nextLong(1L << random.nextInt(44));
                slots.record(value);
                expected.recordValue(Math.min(value, SlotHistogram.MAX));
            }
            final Histogram interval = slots.interval();
            assertThat(interval.getTotalCount()).isEqualTo(expected.getTotalCount());
            assertThat(interval).isEqualTo(expected);
            assertThat(interval.getValueAtPercentile(99)).isEqualTo(expected.getValueAtPercentile(99));
        }
        assertThat(slots.interval().getTotalCount()).isZero();
    }

    @Test
    void indexAndValueAtAreInverseOnEverySlot()
    {
        for (int i = 0; i < SlotHistogram.SLOTS; i++)
        {
            assertThat(SlotHistogram.index(SlotHistogram.valueAt(i))).isEqualTo(i);
        }
        assertThat(SlotHistogram.index(SlotHistogram.MAX)).isEqualTo(SlotHistogram.SLOTS - 1);
    }

    @Test
    void concurrentWritersLoseNoCount() throws InterruptedException
    {
        final SlotHistogram slots = new SlotHistogram();
        final Thread[] writers = new Thread[4];
        for (int t = 0; t < writers.length; t++)
        {
            final int seed = t;
            writers[t] = new Thread(() ->
            {
                for (int i = 0; i < 100_000; i++)
                {
                    slots.record((i * 31L + seed) % 1000);
                }
            });
            writers[t].start();
        }
        long seen = 0;
        for (final Thread writer : writers)
        {
            writer.join();
        }
        seen += slots.interval().getTotalCount();
        assertThat(seen).isEqualTo(400_000);
    }
}
