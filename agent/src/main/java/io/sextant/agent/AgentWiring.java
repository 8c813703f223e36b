package io.sextant.agent;

import io.sextant.agent.bridge.SextantBridge;
import io.sextant.agent.config.AgentConfig;
import io.sextant.agent.jvm.JvmMetrics;
import io.sextant.agent.logs.LogCapture;
import io.sextant.agent.logs.LogSink;
import io.sextant.agent.record.ApiEndpoints;
import io.sextant.agent.record.CustomMetrics;
import io.sextant.agent.record.ModelRegistry;
import io.sextant.agent.record.RecordRing;
import io.sextant.agent.ship.Shipper;
import io.sextant.protocol.Hello;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SystemNanoClock;

import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Builds the agent from a validated configuration and starts it: the ring buffer and registries,
 * the API entry points published through the bootstrap bridge, the log sink, JVM metrics and the
 * sender on its own thread. Called once from {@link SextantAgent}.
 *
 * <p>Threads created: {@code sextant-sender} (the Agrona agent) and {@code sextant-io} (Netty's
 * one event loop), both daemons, plus {@code sextant-init}, which installs log capture at start-up
 * and exits. With {@code sextant.agent.jfr=on} JFR adds its own two threads (see
 * {@link io.sextant.agent.jvm.JfrMetrics}).
 */
final class AgentWiring
{
    static final String VERSION = "0.1.0-SNAPSHOT";

    private AgentWiring()
    {
    }

    static void start(final AgentConfig config, final Instrumentation inst)
    {
        final RecordRing ring = new RecordRing(config.ringBufferBytes());
        final CustomMetrics custom = new CustomMetrics();
        final ModelRegistry models = new ModelRegistry();
        final ApiEndpoints api = new ApiEndpoints(ring, custom, models);
        SextantBridge.publish(api.handles());
        final LogSink sink = config.logs() ? new LogSink(ring, config.logLevel(), config.logRatePerSecond()) : null;
        final Shipper shipper = new Shipper(config, new SystemNanoClock(), ring, api, custom, models, sink,
            config.jvmMetrics() ?
                new JvmMetrics(config.jfr(), config.jfrIntervalNanos(), config.jfrLockThresholdNanos()) : null, hello(config));
        if (sink != null)
        {
            // Byte Buddy needs from a few hundred milliseconds to seconds on a busy machine: a short-lived
            // thread keeps that off both premain and the sender, and exits when done, so the agent's
            // steady state stays at two threads. Log records emitted before it finishes are not captured.
            final Thread init = new Thread(() ->
            {
                try
                {
                    LogCapture.install(inst, sink);
                }
                catch (final Throwable t)
                {
                    AgentLog.error("log capture off", t);
                }
            }, "sextant-init");
            init.setDaemon(true);
            init.start();
        }
        final AgentRunner runner = new AgentRunner(
            new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(10)),
            error -> AgentLog.error("sender error", error), null, shipper);
        AgentRunner.startOnThread(runner, Shipper.daemonThreads("sextant-sender"));
        final long flushNanos = config.shutdownTimeoutNanos();
        if (flushNanos > 0)
        {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> shipper.flush(flushNanos), "sextant-shutdown"));
        }
    }

    static Hello hello(final AgentConfig config)
    {
        final String host = AgentConfig.hostName();
        long capabilities = Hello.CAP_INFERENCE | Hello.CAP_COMMANDS;
        if (config.jvmMetrics())
        {
            capabilities |= Hello.CAP_METRICS;
        }
        if (config.logs())
        {
            capabilities |= Hello.CAP_LOGS;
        }
        final long session = ThreadLocalRandom.current().nextLong() ^ System.nanoTime();
        return new Hello(config.agentId(host), session == 0 ? 1 : session, ProcessHandle.current().pid(),
            ManagementFactory.getRuntimeMXBean().getStartTime(), capabilities, config.service(), host,
            System.getProperty("java.vm.vendor", "") + " " + System.getProperty("java.runtime.version", ""),
            VERSION, config.token(), Map.of());
    }
}
