package io.sextant.agent.ship;

import io.sextant.agent.config.AgentConfig;
import io.sextant.agent.jvm.JvmMetrics;
import io.sextant.agent.record.ApiEndpoints;
import io.sextant.agent.record.CustomMetrics;
import io.sextant.agent.record.ModelRegistry;
import io.sextant.agent.record.RecordRing;
import io.sextant.agent.testing.TestReceiver;
import io.sextant.protocol.Hello;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static io.sextant.agent.testing.TestReceiver.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sender honours the {@code maxFrameLength} of the collector's WELCOME: against an in-process
 * receiver (real loopback sockets) that refuses any longer frame as a connection error, with the
 * agent's own frames (64 KiB) sixteen times longer.
 */
class FrameLimitTest
{
    private static final int LIMIT = 4096;

    private TestReceiver receiver;
    private AgentRunner runner;
    private ApiEndpoints api;
    private int model;
    private Shipper shipper;

    private void startAgent(final int port) throws Exception
    {
        // A long batch delay: batches grow to the agent's 64 KiB max-frame-size unless the limit stops them.
        final AgentConfig config = AgentConfig.load("endpoint=127.0.0.1:" + port +
            ",metrics-interval=100ms,batch-delay=1s,reconnect-backoff-min=20ms,reconnect-backoff-max=200ms," +
            "buffer-size=256KiB,memory-limit=4MiB,max-frame-size=64KiB", new Properties(), Map.of());
        final RecordRing ring = new RecordRing(config.ringBufferBytes());
        final CustomMetrics custom = new CustomMetrics();
        final ModelRegistry models = new ModelRegistry();
        api = new ApiEndpoints(ring, custom, models);
        model = models.register("fraud", "v1", new String[] {"amount"}, new String[] {"country"});
        final Hello hello = new Hello(UUID.randomUUID(), System.nanoTime(), 1, 0, 0, "test", "host", "jvm", "0", "",
            Map.of());
        shipper = new Shipper(config, new SystemNanoClock(), ring, api, custom, models, null, new JvmMetrics(), hello);
        runner = new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null, shipper);
        AgentRunner.startOnThread(runner);
    }

    private void infer(final int from, final int to)
    {
        // 1,500 records of about 80 bytes fit the 256 KiB ring: none is dropped however slow the sender is.
        for (int i = from; i < to; i++)
        {
            api.inference(model, 1000 + i, 0, 1, "fraud", 0, 0.9, "p" + i, new double[] {i}, new String[] {"NZ"});
        }
    }

    @AfterEach
    void stop()
    {
        if (runner != null)
        {
            runner.close();
        }
        if (receiver != null)
        {
            receiver.close();
        }
    }

    @Test
    void splitsFramesKeptBeforeTheCollectorSaidItsLimit() throws Exception
    {
        final int port = TestReceiver.freePort();
        startAgent(port);
        infer(0, 1500);
        // Metrics frames are sealed every 100 ms: after 15 of them the inference batches (one full at 64 KiB, the
        // rest sealed by the 1 s batch delay) are kept too, while no collector is there.
        assertThat(await(20_000, () -> shipper.counters().get("keptFrames") >= 15)).isTrue();
        receiver = new TestReceiver(port, 1000).maxFrameLength(LIMIT).start();
        assertThat(await(30_000, () -> receiver.inferences().size() == 1500)).as(() -> "received " +
            receiver.inferences().size() + ", errors " + receiver.errors() + ", counters " + shipper.counters()).isTrue();
        assertThat(receiver.errors()).isEmpty();
        assertThat(receiver.largestFrame()).isLessThanOrEqualTo(LIMIT).isGreaterThan(LIMIT / 2);
        for (int i = 0; i < 1500; i++)
        {
            assertThat(receiver.inferences().get(i).predictionId()).isEqualTo("p" + i);
        }
        assertThat(await(10_000, () -> receiver.metricNames().contains("jvm.threads.live"))).isTrue();
    }

    @Test
    void makesNewFramesNoLongerThanTheCollectorsLimit() throws Exception
    {
        receiver = new TestReceiver(TestReceiver.freePort(), 1000).maxFrameLength(LIMIT).start();
        startAgent(receiver.port());
        assertThat(await(10_000, () -> receiver.metricNames().contains("jvm.threads.live"))).isTrue();
        infer(0, 1500);
        assertThat(await(30_000, () -> receiver.inferences().size() == 1500)).as(() -> "received " +
            receiver.inferences().size() + ", errors " + receiver.errors()).isTrue();
        assertThat(receiver.errors()).isEmpty();
        assertThat(receiver.largestFrame()).isLessThanOrEqualTo(LIMIT);
        assertThat(receiver.duplicates()).isZero();
    }
}
