package io.sextant.agent.record;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RecordRingTest
{
    @Test
    void dropsAndCountsWhenFullWithoutBlockingOrThrowing()
    {
        final RecordRing ring = new RecordRing(64 * 1024);
        final ModelRegistry models = new ModelRegistry();
        final ApiEndpoints api = new ApiEndpoints(ring, new CustomMetrics(), models);
        final int model = models.register("m", "1", new String[] {"a", "b"}, new String[] {"c"});
        final double[] numeric = {1, 2};
        final String[] categorical = {"x"};
        for (int i = 0; i < 10_000; i++)
        {
            api.inference(model, 10, 0, 1, "yes", 0, 0.5, "id", numeric, categorical);
        }
        final AtomicInteger read = new AtomicInteger();
        ring.ring().read((type, buffer, index, length) -> read.incrementAndGet());
        assertThat(read.get()).isGreaterThan(100);
        assertThat(ring.dropped()).isEqualTo(10_000 - read.get());
    }

    @Test
    void keepsEveryRecordFromConcurrentWritersUntilFullThenCountsTheRest() throws InterruptedException
    {
        final RecordRing ring = new RecordRing(1 << 20);
        final ModelRegistry models = new ModelRegistry();
        final ApiEndpoints api = new ApiEndpoints(ring, new CustomMetrics(), models);
        final int model = models.register("m", "1", new String[0], new String[0]);
        final int threads = 4;
        final int each = 20_000;
        final CountDownLatch done = new CountDownLatch(threads);
        final AtomicInteger read = new AtomicInteger();
        for (int t = 0; t < threads; t++)
        {
            new Thread(() ->
            {
                for (int i = 0; i < each; i++)
                {
                    api.inference(model, i, 0, 2, null, i, Double.NaN, null, null, null);
                }
                done.countDown();
            }).start();
        }
        while (done.getCount() > 0)
        {
            ring.ring().read((type, buffer, index, length) -> read.incrementAndGet());
        }
        while (ring.ring().read((type, buffer, index, length) -> read.incrementAndGet(), Integer.MAX_VALUE) > 0)
        {
            Thread.onSpinWait(); // a read stops at the end of the buffer; the next one continues from its start
        }
        assertThat(read.get() + ring.dropped()).isEqualTo((long)threads * each);
    }

    @Test
    void customMetricsAggregateInPlace()
    {
        final CustomMetrics metrics = new CustomMetrics();
        final int counter = metrics.register(CustomMetrics.KIND_COUNTER, "c", "1", new String[] {"k", "v"});
        final int histogram = metrics.register(CustomMetrics.KIND_HISTOGRAM, "h", "ns", null);
        final int gauge = metrics.register(CustomMetrics.KIND_GAUGE, "g", "1", null);
        assertThat(metrics.register(CustomMetrics.KIND_COUNTER, "c", "1", new String[] {"k", "v"})).isEqualTo(counter);
        assertThat(metrics.register(CustomMetrics.KIND_COUNTER, "bad", "1", new String[] {"odd"})).isEqualTo(-1);
        metrics.add(counter, 3);
        metrics.add(counter, -1);
        metrics.add(-1, 1);
        metrics.record(histogram, 5);
        metrics.record(histogram, -5);
        metrics.record(histogram, Long.MAX_VALUE);
        metrics.set(gauge, 2.5);
        assertThat(metrics.counterValue(counter)).isEqualTo(3);
        final org.HdrHistogram.Histogram interval = metrics.intervalHistogram(histogram);
        assertThat(interval.getTotalCount()).isEqualTo(3);
        assertThat(interval.getMinValue()).isZero();
        assertThat(interval.valuesAreEquivalent(interval.getMaxValue(), CustomMetrics.HISTOGRAM_MAX)).isTrue();
        assertThat(metrics.intervalHistogram(histogram).getTotalCount()).as("the next interval starts empty").isZero();
        assertThat(metrics.gaugeValue(gauge)).isEqualTo(2.5);
    }

    @Test
    void everyRecordKindStaysInsideItsClaimSoTheRingStaysReadable()
    {
        final RecordRing ring = new RecordRing(64 * 1024);
        final ModelRegistry models = new ModelRegistry();
        final ApiEndpoints api = new ApiEndpoints(ring, new CustomMetrics(), models);
        final io.sextant.agent.logs.LogSink logs = new io.sextant.agent.logs.LogSink(ring, 1, 1_000_000);
        final int model = models.register("m", "1", new String[] {"a"}, new String[] {"c"});
        for (int i = 0; i < 50; i++)
        {
            api.inference(model, 10, 0, 1, "class-" + i, 0, 0.5, "id-" + i, new double[] {i}, new String[] {"x" + i});
            api.label("m", "id-" + i, 1, "label-" + i, 0);
            api.label("m", "id-" + i, 2, null, i);
            logs.record(1, 3, "logger", "thread", "pattern {}", "message " + i, new IllegalStateException(), null,
                "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
            logs.record(1, 3, "logger", "thread", "same", "same", null, null, null, null);
        }
        final io.sextant.agent.record.RingString s = new io.sextant.agent.record.RingString();
        final java.util.List<String> seen = new java.util.ArrayList<>();
        final int read = ring.ring().read((type, buffer, index, length) ->
        {
            int end = index;
            if (type == RecordRing.MSG_LABEL)
            {
                end = s.wrap(buffer, s.wrap(buffer, s.wrap(buffer, index + 20)));
                seen.add(s.toString());
            }
            else if (type == RecordRing.MSG_LOG)
            {
                end = index + 44;
                for (int k = 0; k < 5; k++)
                {
                    end = s.wrap(buffer, end);
                }
            }
            else
            {
                end = length + index;
            }
            assertThat(end).isLessThanOrEqualTo(index + length);
        }, Integer.MAX_VALUE);
        assertThat(read).isEqualTo(250);
        assertThat(ring.dropped()).isZero();
        assertThat(seen).contains("label-7");
    }
}
