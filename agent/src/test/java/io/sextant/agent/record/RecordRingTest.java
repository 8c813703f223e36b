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
        ring.ring().read((type, buffer, index, length) -> read.incrementAndGet(), Integer.MAX_VALUE);
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
        assertThat(metrics.recorder(histogram).getIntervalHistogram().getTotalCount()).isEqualTo(3);
        assertThat(metrics.gaugeValue(gauge)).isEqualTo(2.5);
    }
}
