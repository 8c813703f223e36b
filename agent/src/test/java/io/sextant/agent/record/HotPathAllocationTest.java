package io.sextant.agent.record;

import io.sextant.agent.bridge.LogBridge;
import io.sextant.agent.logs.LogSink;
import org.agrona.concurrent.MessageHandler;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Application-thread paths allocate nothing after warm-up: measured with the JVM's per-thread
 * allocation counter (a coarse stand-in for JMH's {@code -prof gc}, which lives in benchmarks/).
 */
class HotPathAllocationTest
{
    private static final MessageHandler DISCARD = (type, buffer, index, length) -> { };

    @Test
    void recordingInferencesLabelsLogsAndMetricsAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final RecordRing ring = new RecordRing(1 << 20);
        final CustomMetrics metrics = new CustomMetrics();
        final ModelRegistry models = new ModelRegistry();
        final ApiEndpoints api = new ApiEndpoints(ring, metrics, models);
        final LogSink logs = new LogSink(ring, LogBridge.INFO, Long.MAX_VALUE);
        final int model = models.register("fraud", "v1",
            new String[] {"a", "b", "c", "d", "e", "f", "g", "h"}, new String[] {"country"});
        final int counter = metrics.register(CustomMetrics.KIND_COUNTER, "c", "1", null);
        final int histogram = metrics.register(CustomMetrics.KIND_HISTOGRAM, "h", "ns", null);
        final int gauge = metrics.register(CustomMetrics.KIND_GAUGE, "g", "1", null);
        final double[] numeric = {1, 2, 3, 4, 5, 6, 7, 8};
        final String[] categorical = {"NZ"};
        final String id = "prediction-1";
        final String logger = "app";
        final String thread = "main";
        final String message = "User bob logged in";

        for (int round = 0; round < 2; round++)
        {
            final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 50_000; i++)
            {
                api.inference(model, i, 0, 1, "fraud", 0, 0.9, id, numeric, categorical);
                api.label("fraud", id, 1, "legit", 0);
                logs.record(1, LogBridge.INFO, logger, thread, "User {} logged in", message, null, null, null, null);
                metrics.add(counter, 1);
                metrics.record(histogram, i);
                metrics.set(gauge, i);
                if ((i & 63) == 0)
                {
                    ring.ring().read(DISCARD, Integer.MAX_VALUE);
                }
            }
            final long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            if (round == 1)
            {
                // One object per call would be at least 16 B x 300,000 = 4.8 MB; what remains is JIT noise.
                assertThat(allocated).as("bytes allocated by 300,000 hot-path calls").isLessThan(64 * 1024);
            }
        }
    }
}
