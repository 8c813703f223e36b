package io.sextant.agent.it;

import io.sextant.agent.it.apps.DemoApp;
import io.sextant.agent.testing.TestReceiver;
import io.sextant.api.Sextant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.sextant.agent.testing.TestReceiver.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * System tests: real application JVMs with {@code -javaagent:target/sextant-agent.jar} against a
 * receiver built on {@code protocol} in this JVM, over loopback.
 */
class AgentSystemIT
{
    private static final String FAST = ",metrics-interval=200ms,batch-delay=20ms,reconnect-backoff-min=50ms," +
        "reconnect-backoff-max=500ms";

    private TestReceiver receiver;

    @AfterEach
    void stopReceiver()
    {
        if (receiver != null)
        {
            receiver.close();
        }
    }

    private static String testClasses()
    {
        return AppProcess.location(DemoApp.class);
    }

    private static String api()
    {
        return AppProcess.location(Sextant.class);
    }

    private static List<String> classPath(final Class<?>... libraries)
    {
        final List<String> path = new ArrayList<>();
        path.add(testClasses());
        path.add(api());
        for (final Class<?> library : libraries)
        {
            path.add(AppProcess.location(library));
        }
        return path;
    }

    private TestReceiver startReceiver()
    {
        receiver = new TestReceiver(TestReceiver.freePort(), 1000).start();
        return receiver;
    }

    private static String args(final TestReceiver r)
    {
        return "endpoint=127.0.0.1:" + r.port() + FAST;
    }

    @Test
    void shipsJvmMetricsAndJulLogsWithoutTheJvmFlags() throws Exception
    {
        startReceiver();
        try (AppProcess app = AppProcess.start(false, args(receiver), classPath(), DemoApp.class.getName(), "jul", "60"))
        {
            assertThat(await(30_000, () -> receiver.metricNames().containsAll(List.of("jvm.gc.count",
                "jvm.memory.used", "jvm.threads.live", "jvm.cpu.process", "jvm.classes.loaded",
                "jvm.memory.allocated", "sextant.agent.frames.sent")))).isTrue();
            assertThat(await(45_000, () -> receiver.logs().stream().anyMatch(l -> l.logger().equals("demo.jul") &&
                l.level().equals("WARN")))).as(() -> state(app)).isTrue();
            assertThat(app.output()).contains("DEMO-APP STARTED jul").doesNotContain("[sextant]")
                .doesNotContain("sun.misc.Unsafe");
            final TestReceiver.Log info = receiver.logs().stream()
                .filter(l -> l.logger().equals("demo.jul") && l.level().equals("INFO")).findFirst().orElseThrow();
            assertThat(info.pattern()).isEqualTo("User {0} logged in");
            assertThat(info.message()).startsWith("User alice");
            final TestReceiver.Log warn = receiver.logs().stream()
                .filter(l -> l.logger().equals("demo.jul") && l.level().equals("WARN")).findFirst().orElseThrow();
            assertThat(warn.exceptionClass()).isEqualTo("java.lang.IllegalStateException");
            assertThat(warn.fingerprint()).isNotZero();
            assertThat(receiver.logs()).noneMatch(l -> l.level().equals("DEBUG"));
            assertThat(receiver.hellos().get(0).service()).isEqualTo(DemoApp.class.getName());
            assertThat(receiver.errors()).isEmpty();
        }
    }

    @Test
    void capturesLogbackLogsWithPatternAndTraceIds() throws Exception
    {
        startReceiver();
        try (AppProcess app = AppProcess.start(true, args(receiver), classPath(ch.qos.logback.classic.Logger.class,
            ch.qos.logback.core.Appender.class, org.slf4j.Logger.class), DemoApp.class.getName(), "logback", "60"))
        {
            assertThat(await(45_000, () -> receiver.logs().stream().anyMatch(l -> l.logger().equals("demo.logback") &&
                l.level().equals("ERROR")))).as(() -> state(app)).isTrue();
            final TestReceiver.Log info = receiver.logs().stream()
                .filter(l -> l.logger().equals("demo.logback") && l.level().equals("INFO")).findFirst().orElseThrow();
            assertThat(info.pattern()).isEqualTo("User {} logged in");
            assertThat(info.message()).startsWith("User bob");
            assertThat(info.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(info.spanId()).isEqualTo("00f067aa0ba902b7");
            assertThat(info.thread()).isEqualTo("main");
            final TestReceiver.Log error = receiver.logs().stream()
                .filter(l -> l.logger().equals("demo.logback") && l.level().equals("ERROR")).findFirst().orElseThrow();
            assertThat(error.exceptionClass()).isEqualTo("java.lang.IllegalStateException");
            assertThat(error.fingerprint()).isNotZero();
            assertThat(receiver.logs()).noneMatch(l -> l.logger().startsWith("io.sextant"));
        }
    }

    @Test
    void capturesLog4j2LogsAndChangesTheirLevelOnCommand() throws Exception
    {
        startReceiver();
        try (AppProcess app = AppProcess.start(true, args(receiver) + ",log-level=DEBUG", classPath(org.apache.logging.log4j.Logger.class,
            org.apache.logging.log4j.core.Logger.class), DemoApp.class.getName(), "log4j", "60"))
        {
            assertThat(await(45_000, () -> receiver.logs().stream().anyMatch(l -> l.logger().equals("demo.log4j") &&
                l.level().equals("ERROR")))).as(() -> state(app)).isTrue();
            final TestReceiver.Log info = receiver.logs().stream()
                .filter(l -> l.logger().equals("demo.log4j") && l.level().equals("INFO")).findFirst().orElseThrow();
            assertThat(info.pattern()).isEqualTo("User {} logged in");
            assertThat(info.message()).startsWith("User carol");
            assertThat(info.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            final TestReceiver.Log error = receiver.logs().stream()
                .filter(l -> l.logger().equals("demo.log4j") && l.level().equals("ERROR")).findFirst().orElseThrow();
            assertThat(error.exceptionClass()).isEqualTo("java.lang.IllegalStateException");
            assertThat(receiver.logs()).noneMatch(l -> l.level().equals("DEBUG"));

            receiver.send(new io.sextant.protocol.Command(7, io.sextant.protocol.CommandKind.SET_LOG_LEVEL,
                java.util.Map.of("logger", "demo.log4j", "level", "DEBUG")));
            assertThat(await(30_000, () -> !receiver.commandResults().isEmpty())).isTrue();
            assertThat(receiver.commandResults().get(0).status()).as(receiver.commandResults().get(0).output())
                .isEqualTo(io.sextant.protocol.CommandStatus.OK);
            assertThat(receiver.commandResults().get(0).output()).contains("log4j2");
            assertThat(await(30_000, () -> receiver.logs().stream().anyMatch(l -> l.level().equals("DEBUG") &&
                l.message().equals("debug enabled for demo.log4j")))).as(() -> receiver.commandResults() + "")
                .isTrue();
        }
    }

    @Test
    void recordsInferencesFromAPlainClassPathApplication() throws Exception
    {
        startReceiver();
        try (AppProcess app = AppProcess.start(true, args(receiver), classPath(), DemoApp.class.getName(),
            "inference", "4"))
        {
            assertThat(app.waitFor(60)).isZero();
            assertThat(app.output()).contains("DEMO-APP STARTED inference attached=true")
                .doesNotContain("sun.misc.Unsafe").doesNotContain("[sextant]");
            assertInferencesArrived(app);
        }
    }

    @Test
    void recordsInferencesFromAnApplicationInAChildClassLoader() throws Exception
    {
        startReceiver();
        try (AppProcess app = AppProcess.start(true, args(receiver), List.of(testClasses()),
            "io.sextant.agent.it.apps.ChildLoaderLauncher", api(), testClasses(), "inference", "4"))
        {
            assertThat(app.waitFor(60)).isZero();
            assertThat(app.output()).contains("CHILD-LOADER api loader=app")
                .contains("DEMO-APP STARTED inference attached=true");
            assertInferencesArrived(app);
        }
    }

    private String state(final AppProcess app)
    {
        return "app output:\n" + app.output() + "\nreceiver: hellos=" + receiver.hellos().size() + " inferences=" +
            receiver.inferences().size() + " labels=" + receiver.labels().size() + " modelEvents=" +
            receiver.modelEvents().size() + " logs=" + receiver.logs().size() + " journaled=" + receiver.journaled() +
            " errors=" + receiver.errors() + " metrics=" + receiver.metricNames();
    }

    private void assertInferencesArrived(final AppProcess app)
    {
        assertThat(await(30_000, () -> receiver.inferences().size() >= 10)).as(() -> state(app)).isTrue();
        final TestReceiver.Inference first = receiver.inferences().get(0);
        assertThat(first.model()).isEqualTo("fraud");
        assertThat(first.version()).isEqualTo("v7");
        assertThat(first.predictionId()).isEqualTo("order-0");
        assertThat(first.numeric()).containsEntry("amount", 100.0).containsEntry("age", 40.0);
        assertThat(first.categorical()).containsEntry("country", "NZ");
        assertThat(await(30_000, () -> receiver.labels().contains("order-0"))).isTrue();
        assertThat(await(30_000, () -> receiver.modelEvents().size() >= 2)).isTrue();
        assertThat(receiver.modelEvents().get(0).datasetId()).isEqualTo("transactions-2024");
        assertThat(await(30_000, () -> receiver.metricNames().containsAll(List.of("demo.orders", "demo.latency"))))
            .isTrue();
        assertThat(receiver.errors()).isEmpty();
    }

    @Test
    void deliversDataWhenTheReceiverStartsAfterTheApplication() throws Exception
    {
        final int port = TestReceiver.freePort();
        try (AppProcess app = AppProcess.start(true, "endpoint=127.0.0.1:" + port + FAST, classPath(),
            DemoApp.class.getName(), "inference", "6"))
        {
            assertThat(await(30_000, () -> app.output().contains("DEMO-APP STARTED"))).isTrue();
            receiver = new TestReceiver(port, 1000);
            receiver.start();
            assertThat(await(30_000, () -> receiver.inferences().stream()
                .anyMatch(i -> i.predictionId().equals("order-0")))).isTrue();
            assertThat(app.waitFor(60)).isZero();
            assertThat(receiver.errors()).isEmpty();
        }
    }

    @Test
    void resendsEveryUnacknowledgedFrameAfterTheReceiverRestarts() throws Exception
    {
        startReceiver();
        final int port = receiver.port();
        try (AppProcess app = AppProcess.start(true, args(receiver), classPath(), DemoApp.class.getName(),
            "inference", "15"))
        {
            assertThat(await(30_000, () -> receiver.inferences().size() >= 10)).isTrue();
            receiver.holdAcks(true);
            final long journaled = receiver.journaled();
            assertThat(await(30_000, () -> receiver.highestReceived() >= journaled + 5)).isTrue();
            final long receivedBeforeKill = receiver.highestReceived();
            receiver.stop();
            receiver.holdAcks(false);
            receiver.start();
            assertThat(receiver.port()).isEqualTo(port);
            assertThat(app.waitFor(60)).isZero();
            final int iterations = iterations(app.output());
            assertThat(await(30_000, () -> receiver.inferences().size() == iterations)).isTrue();
            assertThat(receiver.journaled()).isGreaterThanOrEqualTo(receivedBeforeKill);
            assertThat(receiver.errors()).isEmpty();
            assertThat(receiver.resendFlags()).isGreaterThan(0);
            for (int i = 0; i < iterations; i++)
            {
                assertThat(receiver.inferences().get(i).predictionId()).isEqualTo("order-" + i);
            }
        }
    }

    private static int iterations(final String output)
    {
        final int at = output.indexOf("iterations=");
        return Integer.parseInt(output.substring(at + "iterations=".length()).trim().split("\\s+")[0]);
    }

    @Test
    void attachesToARunningJvmThroughAgentmain() throws Exception
    {
        startReceiver();
        try (AppProcess app = AppProcess.start(true, null, classPath(), DemoApp.class.getName(), "jul", "60"))
        {
            assertThat(await(30_000, () -> app.output().contains("DEMO-APP STARTED jul attached=false"))).isTrue();
            final com.sun.tools.attach.VirtualMachine vm =
                com.sun.tools.attach.VirtualMachine.attach(String.valueOf(app.pid()));
            try
            {
                vm.loadAgent(AppProcess.agentJar().toString(), args(receiver));
            }
            finally
            {
                vm.detach();
            }
            assertThat(await(45_000, () -> receiver.metricNames().contains("jvm.threads.live") &&
                receiver.logs().stream().anyMatch(l -> l.logger().equals("demo.jul")))).as(() -> state(app)).isTrue();
            assertThat(receiver.errors()).isEmpty();
        }
    }

    @Test
    void badConfigurationLeavesTheApplicationRunning() throws Exception
    {
        try (AppProcess app = AppProcess.start(true, "endpont=127.0.0.1:1,metrics-interval=5", classPath(),
            DemoApp.class.getName(), "jul", "1"))
        {
            assertThat(app.waitFor(60)).isZero();
            final String output = app.output();
            assertThat(output).contains("DEMO-APP STARTED jul attached=false").contains("DEMO-APP DONE jul");
            assertThat(output.lines().filter(l -> l.startsWith("[sextant]")).toList()).hasSize(1);
            assertThat(output).contains("[sextant] agent off: unknown key 'endpont' (agent argument)")
                .contains("did you mean 'endpoint'");
        }
        try (AppProcess app = AppProcess.start(true, "metrics-interval=5", classPath(), DemoApp.class.getName(),
            "jul", "1"))
        {
            assertThat(app.waitFor(60)).isZero();
            assertThat(app.output()).contains("DEMO-APP DONE jul")
                .contains("bad value '5' for sextant.agent.metrics-interval (agent argument): expected a duration");
        }
    }

    @Test
    void anApplicationWithItsOwnOlderNettyWorks() throws Exception
    {
        startReceiver();
        final List<String> path = new ArrayList<>(List.of(testClasses(), api()));
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("sextant.it.netty41", "target/it-netty41"))))
        {
            jars.map(Path::toString).forEach(path::add);
        }
        catch (final IOException ex)
        {
            throw new AssertionError("run the build through 'package' so target/it-netty41 exists", ex);
        }
        try (AppProcess app = AppProcess.start(true, args(receiver), path, DemoApp.class.getName(), "netty41", "2"))
        {
            assertThat(app.waitFor(60)).isZero();
            assertThat(app.output()).contains("NETTY-ECHO ping version=4.1.").contains("DEMO-APP DONE netty41");
            assertThat(await(30_000, () -> receiver.metricNames().contains("jvm.threads.live"))).isTrue();
        }
    }

    static String join(final List<String> parts)
    {
        return String.join(File.pathSeparator, parts);
    }
}
