package io.sextant.agent.ship;

import io.sextant.agent.config.AgentConfig;
import io.sextant.agent.jvm.JvmMetrics;
import io.sextant.agent.record.ApiEndpoints;
import io.sextant.agent.record.CustomMetrics;
import io.sextant.agent.record.ModelRegistry;
import io.sextant.agent.record.RecordRing;
import io.sextant.agent.testing.TestReceiver;
import io.sextant.protocol.Command;
import io.sextant.protocol.CommandKind;
import io.sextant.protocol.CommandStatus;
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
 * The sender against an in-process receiver built on {@code protocol}, over real loopback sockets.
 */
class ShipperTest
{
    private TestReceiver receiver;
    private AgentRunner runner;
    private ApiEndpoints api;
    private CustomMetrics custom;
    private int model;
    private RecordRing ring;
    private Shipper shipper;

    private void startAgent(final int port, final String extra) throws Exception
    {
        final AgentConfig config = AgentConfig.load("endpoint=127.0.0.1:" + port +
            ",metrics-interval=100ms,batch-delay=5ms,reconnect-backoff-min=20ms,reconnect-backoff-max=200ms," +
            "buffer-size=256KiB,memory-limit=4MiB" + extra, new Properties(), Map.of());
        ring = new RecordRing(config.ringBufferBytes());
        custom = new CustomMetrics();
        final ModelRegistry models = new ModelRegistry();
        api = new ApiEndpoints(ring, custom, models);
        model = models.register("fraud", "v1", new String[] {"amount"}, new String[] {"country"});
        final Hello hello = new Hello(UUID.randomUUID(), System.nanoTime(), 1, 0, 0, "test", "host", "jvm", "0", "",
            Map.of());
        shipper = new Shipper(config, new SystemNanoClock(), ring, api, custom, models, null,
            new JvmMetrics(), hello);
        runner = new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null, shipper);
        AgentRunner.startOnThread(runner);
    }

    private void infer(final int from, final int to)
    {
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
    void shipsInferencesAndMetricsAfterHandshake() throws Exception
    {
        receiver = new TestReceiver(TestReceiver.freePort(), 1000).start();
        startAgent(receiver.port(), "");
        final int counter = custom.register(CustomMetrics.KIND_COUNTER, "shop.orders", "1", null);
        custom.add(counter, 7);
        infer(0, 10);
        assertThat(await(10_000, () -> receiver.inferences().size() == 10)).isTrue();
        assertThat(await(10_000, () -> receiver.metricNames().containsAll(
            java.util.List.of("shop.orders", "jvm.memory.used", "jvm.threads.live", "sextant.agent.frames.sent")))).isTrue();
        final TestReceiver.Inference first = receiver.inferences().get(0);
        assertThat(first.model()).isEqualTo("fraud");
        assertThat(first.predictedClass()).isEqualTo("fraud");
        assertThat(first.predictionId()).isEqualTo("p0");
        assertThat(first.numeric()).containsEntry("amount", 0.0);
        assertThat(first.categorical()).containsEntry("country", "NZ");
        assertThat(receiver.errors()).isEmpty();
    }

    @Test
    void shipsEveryPredictedClassWhetherItTravelsAsACodeOrInFull() throws Exception
    {
        receiver = new TestReceiver(TestReceiver.freePort(), 1000).start();
        startAgent(receiver.port(), "");
        // more distinct classes than the model's code table holds, each twice: once as the same instance,
        // once as an equal copy; a null class; and a class longer than a code may stand for
        final int classes = ModelRegistry.MAX_CLASS_CODES + 8;
        final java.util.List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < classes; i++)
        {
            final String name = "class-" + i;
            for (final String sent : new String[] {name, new String(name.toCharArray())})
            {
                api.inference(model, 1, 0, 1, sent, 0, 0.5, "c" + expected.size(), new double[] {1},
                    new String[] {"NZ"});
                expected.add(name);
            }
        }
        api.inference(model, 1, 0, 1, null, 0, 0.5, "c" + expected.size(), new double[] {1}, new String[] {"NZ"});
        expected.add("");
        final String tooLong = "x".repeat(300);
        api.inference(model, 1, 0, 1, tooLong, 0, 0.5, "c" + expected.size(), new double[] {1}, new String[] {"NZ"});
        expected.add(tooLong.substring(0, 256));
        assertThat(await(10_000, () -> receiver.inferences().size() == expected.size())).isTrue();
        final java.util.List<String> received = receiver.inferences().stream()
            .map(TestReceiver.Inference::predictedClass).toList();
        assertThat(received).containsExactlyElementsOf(expected);
        assertThat(receiver.inferences().get(3).predictionId()).isEqualTo("c3");
        assertThat(receiver.inferences().get(3).categorical()).containsEntry("country", "NZ");
        assertThat(api.errors()).isZero();
    }

    @Test
    void deliversDataOnceTheReceiverStartsLate() throws Exception
    {
        final int port = TestReceiver.freePort();
        startAgent(port, "");
        infer(0, 5);
        assertThat(await(10_000, () -> shipper.connectAttempts() >= 3)).isTrue();
        receiver = new TestReceiver(port, 1000);
        receiver.start();
        assertThat(await(10_000, () -> receiver.inferences().size() == 5)).isTrue();
        assertThat(receiver.errors()).isEmpty();
    }

    @Test
    void resendsUnacknowledgedFramesAfterReconnect() throws Exception
    {
        final int port = TestReceiver.freePort();
        receiver = new TestReceiver(port, 1000).start();
        startAgent(port, "");
        infer(0, 50);
        assertThat(await(10_000, () -> receiver.inferences().size() == 50)).isTrue();
        receiver.holdAcks(true);
        final long journaledBefore = receiver.journaled();
        infer(50, 100);
        assertThat(await(10_000, () -> receiver.highestReceived() > journaledBefore + 5)).isTrue();
        receiver.stop();
        infer(100, 120);
        receiver.holdAcks(false);
        receiver.start();
        assertThat(await(15_000, () -> receiver.inferences().size() == 120)).isTrue();
        assertThat(receiver.errors()).isEmpty();
        assertThat(receiver.resendFlags()).isGreaterThan(0);
        assertThat(receiver.hellos()).hasSize(2);
        assertThat(receiver.hellos().get(0).sessionId()).isEqualTo(receiver.hellos().get(1).sessionId());
        for (int i = 0; i < 120; i++)
        {
            assertThat(receiver.inferences().get(i).predictionId()).isEqualTo("p" + i);
        }
    }

    @Test
    void answersAThreadDumpCommand() throws Exception
    {
        receiver = new TestReceiver(TestReceiver.freePort(), 1000).start();
        startAgent(receiver.port(), "");
        assertThat(await(10_000, () -> !receiver.samples().isEmpty())).isTrue();
        receiver.send(new Command(42, CommandKind.THREAD_DUMP, Map.of()));
        receiver.send(new Command(43, CommandKind.HEAP_HISTOGRAM, Map.of()));
        assertThat(await(10_000, () -> receiver.commandResults().size() == 2)).isTrue();
        assertThat(receiver.commandResults().get(0).commandId()).isEqualTo(42);
        assertThat(receiver.commandResults().get(0).status()).isEqualTo(CommandStatus.OK);
        assertThat(receiver.commandResults().get(0).output()).contains("sextant-sender");
        assertThat(receiver.commandResults().get(1).output()).contains("java.lang.String");
    }

    @Test
    void stopsDrainingAtTheMemoryBoundSoTheRingDropsButNeverDropsANumberedFrame() throws Exception
    {
        final int port = TestReceiver.freePort();
        startAgentWith("endpoint=127.0.0.1:" + port + ",metrics-interval=10s,batch-delay=1ms,jvm-metrics=false," +
            "reconnect-backoff-min=20ms,reconnect-backoff-max=100ms,buffer-size=64KiB,max-frame-size=4KiB," +
            "memory-limit=128KiB");
        final int total = 20_000;
        for (int i = 0; i < total; i++)
        {
            api.inference(model, i, 0, 1, "fraud", 0, 0.9, "p" + i, new double[] {i}, new String[] {"NZ"});
        }
        assertThat(ring.dropped()).isGreaterThan(0);
        receiver = new TestReceiver(port, 1000).start();
        final long kept = total - ring.dropped();
        assertThat(await(30_000, () -> receiver.inferences().size() == kept)).isTrue();
        assertThat(receiver.errors()).isEmpty();
        assertThat(receiver.duplicates()).isZero();
    }

    private void startAgentWith(final String args) throws Exception
    {
        final AgentConfig config = AgentConfig.load(args, new Properties(), Map.of());
        ring = new RecordRing(config.ringBufferBytes());
        custom = new CustomMetrics();
        final ModelRegistry models = new ModelRegistry();
        api = new ApiEndpoints(ring, custom, models);
        model = models.register("fraud", "v1", new String[] {"amount"}, new String[] {"country"});
        final Hello hello = new Hello(UUID.randomUUID(), System.nanoTime(), 1, 0, 0, "test", "host", "jvm", "0", "",
            Map.of());
        shipper = new Shipper(config, new SystemNanoClock(), ring, api, custom, models, null, null, hello);
        runner = new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null, shipper);
        AgentRunner.startOnThread(runner);
    }

    @Test
    void reconnectsWhenTheCollectorFallsSilentForThreeHeartbeatIntervals() throws Exception
    {
        receiver = new TestReceiver(TestReceiver.freePort(), 100).start();
        receiver.silent(true);
        startAgent(receiver.port(), "");
        infer(0, 3);
        assertThat(await(10_000, () -> receiver.hellos().size() >= 3)).isTrue();
        receiver.stop(); // what the silent collector held was never journaled: it is lost with the connections
        receiver.silent(false);
        receiver.start();
        assertThat(await(10_000, () -> receiver.inferences().size() == 3)).isTrue();
        assertThat(receiver.errors()).isEmpty();
    }
}
