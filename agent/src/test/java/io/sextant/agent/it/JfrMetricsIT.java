package io.sextant.agent.it;

import io.sextant.agent.it.apps.ContentionApp;
import io.sextant.agent.testing.TestReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.sextant.agent.testing.TestReceiver.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Safepoint and lock-contention metrics from JFR: a real JVM with the shaded agent, contending on a
 * monitor, against a receiver built on {@code protocol}.
 */
class JfrMetricsIT
{
    private static final String FAST = ",metrics-interval=200ms,batch-delay=20ms,reconnect-backoff-min=50ms";

    private TestReceiver receiver;

    @AfterEach
    void stopReceiver()
    {
        if (receiver != null)
        {
            receiver.close();
        }
    }

    private static List<String> classPath()
    {
        return List.of(AppProcess.location(ContentionApp.class));
    }

    @Test
    void shipsSafepointPausesAndContentionPerMonitorClassWhenJfrIsOn() throws Exception
    {
        receiver = new TestReceiver(TestReceiver.freePort(), 1000).start();
        try (AppProcess app = AppProcess.start(false, "endpoint=127.0.0.1:" + receiver.port() + FAST +
            ",jfr=on,jfr-interval=1s,jfr-lock-threshold=5ms", classPath(), ContentionApp.class.getName(), "90"))
        {
            final String ledger = ContentionApp.Ledger.class.getName();
            assertThat(await(60_000, () -> receiver.samples().stream().anyMatch(s ->
                s.name().equals("jvm.monitor.contended.count") && ledger.equals(s.labels().get("class")) &&
                s.value() >= 2))).as(() -> state(app)).isTrue();
            assertThat(await(30_000, () -> receiver.samples().stream().anyMatch(s ->
                s.name().equals("jvm.safepoint.count") && s.value() >= 1))).as(() -> state(app)).isTrue();
            assertThat(await(30_000, () -> receiver.samples().stream().anyMatch(s ->
                s.name().equals("jvm.safepoint.pause") && s.histogram()))).as(() -> state(app)).isTrue();
            // each wait is about one 20 ms hold: the time counter grows with the count
            final TestReceiver.Sample time = receiver.samples().stream().filter(s ->
                s.name().equals("jvm.monitor.contended.time") && ledger.equals(s.labels().get("class")))
                .reduce((first, second) -> second).orElseThrow();
            assertThat(time.value()).isGreaterThanOrEqualTo(5_000);
            assertThat(receiver.metricNames()).contains("sextant.agent.jfr.read.time");
            assertThat(app.output()).contains("CONTENTION-APP STARTED").doesNotContain("[sextant]");
            assertThat(receiver.errors()).isEmpty();
        }
    }

    @Test
    void leavesJfrAloneByDefaultAndShipsSafepointAndContentionTotalsFromTheJvmsCounters() throws Exception
    {
        receiver = new TestReceiver(TestReceiver.freePort(), 1000).start();
        try (AppProcess app = AppProcess.start(false, "endpoint=127.0.0.1:" + receiver.port() + FAST +
            ",jfr-interval=200ms", classPath(), ContentionApp.class.getName(), "60"))
        {
            // ten JVM samples: JFR would have started on the first
            assertThat(await(60_000, () -> receiver.samples().stream()
                .filter(s -> s.name().equals("jvm.threads.live")).count() >= 10)).as(() -> state(app)).isTrue();
            assertThat(receiver.metricNames()).noneMatch(n -> n.equals("jvm.safepoint.pause") ||
                n.startsWith("jvm.monitor.contended") || n.startsWith("sextant.agent.jfr"));
            // without JFR, totals from the JVM's own counters: the posters contend on the ledger's monitor
            assertThat(await(30_000, () -> receiver.samples().stream().anyMatch(s ->
                s.name().equals("jvm.monitor.blocked.count") && s.value() >= 2))).as(() -> state(app)).isTrue();
            assertThat(receiver.samples().stream().filter(s -> s.name().equals("jvm.monitor.blocked.time"))
                .mapToDouble(TestReceiver.Sample::value).max().orElse(0)).isGreaterThanOrEqualTo(5);
            assertThat(await(30_000, () -> receiver.samples().stream().anyMatch(s ->
                s.name().equals("jvm.safepoint.count") && s.value() >= 1))).as(() -> state(app)).isTrue();
            assertThat(receiver.metricNames()).contains("jvm.safepoint.time", "jvm.safepoint.sync.time");
            assertThat(receiver.samples().stream().filter(s -> s.name().equals("jvm.threads.live"))
                .mapToDouble(TestReceiver.Sample::value).max().orElseThrow())
                .as("main, the two posters, the agent's two and the JVM's own, but no JFR threads")
                .isLessThan(12);
        }
    }

    private String state(final AppProcess app)
    {
        return "app output:\n" + app.output() + "\nreceiver: metrics=" + receiver.metricNames() + " errors=" +
            receiver.errors();
    }
}
