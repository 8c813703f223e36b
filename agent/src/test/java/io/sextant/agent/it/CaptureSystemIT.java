package io.sextant.agent.it;

import io.sextant.agent.it.apps.DemoApp;
import io.sextant.agent.it.apps.SmileApp;
import io.sextant.agent.testing.TestReceiver;
import io.sextant.api.Sextant;
import io.sextant.protocol.Command;
import io.sextant.protocol.CommandKind;
import io.sextant.protocol.CommandResult;
import io.sextant.protocol.CommandStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.sextant.agent.testing.TestReceiver.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * System tests of what the agent captures with no application change: Smile inference, the
 * log-level command on java.util.logging and Logback, and an application's very first log line.
 * Real application JVMs with {@code -javaagent:target/sextant-agent.jar} against a receiver built on
 * {@code protocol} in this JVM, over loopback.
 */
class CaptureSystemIT
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

    private String args()
    {
        receiver = new TestReceiver(TestReceiver.freePort(), 1000).start();
        return "endpoint=127.0.0.1:" + receiver.port() + FAST;
    }

    private static List<String> classPath(final Class<?>... libraries)
    {
        final List<String> path = new ArrayList<>();
        path.add(AppProcess.location(DemoApp.class));
        path.add(AppProcess.location(Sextant.class));
        for (final Class<?> library : libraries)
        {
            path.add(AppProcess.location(library));
        }
        return path;
    }

    private static List<String> smileClassPath()
    {
        return classPath(smile.classification.LogisticRegression.class, smile.math.MathEx.class,
            org.slf4j.Logger.class);
    }

    private String state(final AppProcess app)
    {
        return "app output:\n" + app.output() + "\nreceiver: hellos=" + receiver.hellos().size() + " inferences=" +
            receiver.inferences() + " logs=" + receiver.logs().size() + " errors=" + receiver.errors() +
            " commandResults=" + receiver.commandResults();
    }

    @Test
    void recordsSmileInferenceWithNoApplicationChange() throws Exception
    {
        final String agentArgs = args() + ",smile-model-names=LogisticRegression=credit-risk," +
            "smile-model-version=2024-06,smile-max-features=2";
        try (AppProcess app = AppProcess.start(true, agentArgs, smileClassPath(), SmileApp.class.getName(), "plain",
            "40", "120"))
        {
            // The machine may be loaded by other builds: generous deadlines, polled.
            assertThat(await(120_000, () -> app.output().contains("SMILE-APP DONE plain"))).as(() -> state(app))
                .isTrue();
            assertThat(app.output()).doesNotContain("[sextant]");
            // Every call is recorded (the advice is installed in premain): wait for all of them (40 calls of each
            // kind, and the refused null input), so that the lists compared below are complete.
            assertThat(await(60_000, () -> classified("credit-risk").size() >= 81 &&
                regressed().size() >= 40)).as(() -> state(app)).isTrue();

            final List<TestReceiver.Inference> classified = classified("credit-risk");
            assertThat(classified).allMatch(i -> i.version().equals("2024-06"));
            final List<TestReceiver.Inference> low = classified.stream()
                .filter(i -> i.numeric().equals(Map.of("f0", 0.05, "f1", 0.1))).toList();
            final List<TestReceiver.Inference> high = classified.stream()
                .filter(i -> i.numeric().equals(Map.of("f0", 1.05, "f1", 0.95))).toList();
            assertThat(low).hasSizeGreaterThanOrEqualTo(5).allMatch(i -> i.outcome().equals("OK") && i.predictedClass().equals("0") &&
                Double.isNaN(i.score()));
            assertThat(high).hasSizeGreaterThanOrEqualTo(5).hasSize(low.size()).allMatch(i -> i.outcome().equals("OK") && i.predictedClass().equals("1") &&
                i.score() > 0.5 && i.score() <= 1.0);
            assertThat(posteriors(app.output())).contains(high.get(0).score(), high.get(high.size() - 1).score());

            final List<TestReceiver.Inference> regressed = regressed();
            assertThat(regressed).allMatch(i -> i.model().equals(topLevelName(app.output())) &&
                i.version().equals("2024-06"));
            assertThat(regressed.stream().filter(i -> i.numeric().equals(Map.of("f0", 1.05, "f1", 0.95))).toList())
                .hasSize(high.size()).allMatch(i -> i.outcome().equals("OK") && i.number() > 1.0 && i.number() < 3.0);

            assertThat(app.output()).contains("SMILE-APP null input refused");
            assertThat(await(60_000, () -> classified("credit-risk").stream()
                .anyMatch(i -> i.outcome().equals("ERROR") && i.numeric().isEmpty()))).as(() -> state(app)).isTrue();
            assertThat(receiver.errors()).isEmpty();
        }
    }

    @Test
    void leavesSmileModelsToTheApplicationWhenItRecordsThroughTheApi() throws Exception
    {
        try (AppProcess app = AppProcess.start(true, args(), smileClassPath(), SmileApp.class.getName(), "api", "5",
            "120"))
        {
            assertThat(await(120_000, () -> app.output().contains("SMILE-APP DONE api"))).as(() -> state(app))
                .isTrue();
            assertThat(app.output()).contains("SMILE-APP STARTED api attached=true");
            assertThat(await(60_000, () -> receiver.inferences().stream()
                .filter(i -> i.model().equals("explicit-model")).count() == 5)).as(() -> state(app)).isTrue();
            // The sender drains the ring in order: every Smile record written before the last explicit one is here.
            assertThat(receiver.inferences()).allMatch(i -> i.model().equals("explicit-model"));
        }
    }

    @Test
    void changesTheLevelOfAJavaUtilLoggingLoggerOnCommand() throws Exception
    {
        try (AppProcess app = AppProcess.start(true, args() + ",log-level=DEBUG", classPath(),
            DemoApp.class.getName(), "jul", "60"))
        {
            changesLevelOnCommand(app, "demo.jul", "jul");
        }
    }

    @Test
    void changesTheLevelOfALogbackLoggerOnCommand() throws Exception
    {
        try (AppProcess app = AppProcess.start(true, args() + ",log-level=DEBUG", classPath(
            ch.qos.logback.classic.Logger.class, ch.qos.logback.core.Appender.class, org.slf4j.Logger.class),
            DemoApp.class.getName(), "logback", "60"))
        {
            changesLevelOnCommand(app, "demo.logback", "logback");
        }
    }

    private void changesLevelOnCommand(final AppProcess app, final String logger, final String library)
    {
        assertThat(await(60_000, () -> receiver.logs().stream().filter(l -> l.logger().equals(logger)).count() >= 4))
            .as(() -> state(app)).isTrue();
        assertThat(receiver.logs()).noneMatch(l -> l.level().equals("DEBUG"));

        receiver.send(new Command(11, CommandKind.SET_LOG_LEVEL, Map.of("logger", logger, "level", "DEBUG")));
        assertThat(await(30_000, () -> !receiver.commandResults().isEmpty())).as(() -> state(app)).isTrue();
        final CommandResult result = receiver.commandResults().get(0);
        assertThat(result.status()).as(result.output()).isEqualTo(CommandStatus.OK);
        assertThat(result.output()).contains(library);
        assertThat(await(30_000, () -> receiver.logs().stream().anyMatch(l -> l.level().equals("DEBUG") &&
            l.logger().equals(logger) && l.message().equals("debug enabled for " + logger))))
            .as(() -> state(app)).isTrue();

        receiver.send(new Command(12, CommandKind.SET_LOG_LEVEL, Map.of("logger", logger, "level", "WARN")));
        assertThat(await(30_000, () -> receiver.commandResults().size() == 2)).as(() -> state(app)).isTrue();
        assertThat(receiver.commandResults().get(1).status()).isEqualTo(CommandStatus.OK);
        // Records logged before the change may still be in flight (a sender that a loaded machine holds back sends
        // the command's result first); soon only WARN and above come. Before the change every iteration logs INFO,
        // ERROR and DEBUG, so four WARN-or-ERROR records in a row can only come after it.
        assertThat(await(30_000, () ->
        {
            final List<TestReceiver.Log> last = receiver.logs().stream().filter(l -> l.logger().equals(logger)).toList();
            return last.size() >= 4 && last.subList(last.size() - 4, last.size()).stream()
                .allMatch(l -> l.level().equals("WARN") || l.level().equals("ERROR"));
        })).as(() -> state(app)).isTrue();
    }

    @Test
    void capturesTheFirstLogLineOfMainAndLoadsByteBuddyOnlyForTheLibrariesThatNeedIt(@TempDir final Path dir)
        throws Exception
    {
        final Path julClasses = dir.resolve("jul-classes.log");
        try (AppProcess app = AppProcess.start(List.of("-Xlog:class+load=info:file=" + julClasses), true, args(),
            classPath(), DemoApp.class.getName(), "jul", "60"))
        {
            assertThat(await(60_000, () -> receiver.logs().stream().anyMatch(l -> l.logger().equals("demo.first") &&
                l.message().equals("first line of main")))).as(() -> state(app)).isTrue();
        }
        receiver.close();
        final Path logbackClasses = dir.resolve("logback-classes.log");
        try (AppProcess app = AppProcess.start(List.of("-Xlog:class+load=info:file=" + logbackClasses), true, args(),
            classPath(ch.qos.logback.classic.Logger.class, ch.qos.logback.core.Appender.class, org.slf4j.Logger.class),
            DemoApp.class.getName(), "logback", "60"))
        {
            assertThat(await(60_000, () -> receiver.logs().stream().anyMatch(l -> l.logger().equals("demo.first") &&
                l.message().equals("first line of main")))).as(() -> state(app)).isTrue();
        }
        // JUL is rewritten with plain ASM: Byte Buddy's type model (about a thousand classes, a second of CPU at
        // start-up) is loaded only once Logback, Log4j 2 or Smile classes appear.
        assertThat(byteBuddyClasses(julClasses)).isZero();
        assertThat(byteBuddyClasses(logbackClasses)).isGreaterThan(100);
    }

    private static long byteBuddyClasses(final Path classLoadLog) throws IOException
    {
        try (Stream<String> lines = Files.lines(classLoadLog))
        {
            return lines.filter(l -> l.contains(".shaded.net.bytebuddy.") && !l.contains(".shaded.net.bytebuddy.jar.asm."))
                .count();
        }
    }

    private List<TestReceiver.Inference> classified(final String model)
    {
        return receiver.inferences().stream().filter(i -> i.model().equals(model)).toList();
    }

    private List<TestReceiver.Inference> regressed()
    {
        return receiver.inferences().stream().filter(i -> !Double.isNaN(i.number())).toList();
    }

    private static List<Double> posteriors(final String output)
    {
        final String prefix = "SMILE-APP predicted 0 1 p=";
        return output.lines().filter(l -> l.startsWith(prefix))
            .map(l -> Double.parseDouble(l.substring(prefix.length()).split("\\s+")[0])).toList();
    }

    private static String topLevelName(final String output)
    {
        final int at = output.indexOf("regression=");
        final String type = output.substring(at + "regression=".length()).split("\\s+")[0];
        final String simple = type.substring(type.lastIndexOf('.') + 1);
        return simple.contains("$") ? simple.substring(0, simple.indexOf('$')) : simple;
    }
}
