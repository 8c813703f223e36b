package io.sextant.agent;

import io.sextant.agent.bridge.SextantBridge;
import io.sextant.agent.config.AgentConfig;
import io.sextant.agent.instrument.CaptureTransformer;
import io.sextant.agent.jvm.JvmMetrics;
import io.sextant.agent.logs.LibraryCapture;
import io.sextant.agent.logs.LogCapture;
import io.sextant.agent.logs.LogSink;
import io.sextant.agent.record.ApiEndpoints;
import io.sextant.agent.record.CustomMetrics;
import io.sextant.agent.record.ModelRegistry;
import io.sextant.agent.record.RecordRing;
import io.sextant.agent.ship.SenderIdle;
import io.sextant.agent.ship.Shipper;
import io.sextant.agent.smile.SmileCapture;
import io.sextant.agent.smile.SmileRecorder;
import io.sextant.protocol.Hello;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SystemNanoClock;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Builds the agent from a validated configuration and starts it: in {@code premain}, the ring
 * buffer and registries, the API entry points published through the bootstrap bridge, the log sink
 * and the log and Smile capture (the application may log or predict from its first line); on the
 * sender thread, the sender with its Netty event loop and JVM metrics. Called once from
 * {@link SextantAgent}.
 *
 * <p>Threads created: {@code sextant-sender} (the Agrona agent) and {@code sextant-io} (Netty's
 * one event loop), both daemons. With {@code sextant.agent.jfr=on} JFR adds its own two threads (see
 * {@link io.sextant.agent.jvm.JfrMetrics}).
 */
final class AgentWiring
{
    static final String VERSION = "0.1.0-SNAPSHOT";

    /** Set by the shutdown hook: ends the sender's start delay. */
    private static volatile boolean exiting;

    private AgentWiring()
    {
    }

    static void start(final AgentConfig config, final Instrumentation inst)
    {
        final RecordRing ring = new RecordRing(config.ringBufferBytes());
        final CustomMetrics custom = new CustomMetrics();
        final ModelRegistry models = new ModelRegistry();
        final ApiEndpoints api = new ApiEndpoints(ring, custom, models);
        SextantBridge.publish(api);
        final LogSink sink = config.logs() ? new LogSink(ring, config.logLevel(), config.logRatePerSecond()) : null;
        // The capture transformer is registered before premain returns, so that the application's first log line
        // and model call are captured. It costs little here: JUL's Logger is rewritten with plain ASM, and Byte
        // Buddy is built only when Logback, Log4j 2 or Smile classes load (under one lock, never on two threads).
        final boolean smile = !config.smileMode().equals("off");
        if (sink != null || smile)
        {
            try
            {
                if (sink != null)
                {
                    LogCapture.prepare(inst, sink);
                }
                final SmileRecorder recorder = smile ? new SmileRecorder(api, models, config.smileMode().equals("auto"),
                    config.smileModelNames(), config.smileModelVersion(), config.smileMaxFeatures()) : null;
                new CaptureTransformer(sink != null, sink != null ? new LogLibraries() : null,
                    smile ? new SmileLibrary(recorder) : null).install(inst);
            }
            catch (final Throwable t)
            {
                AgentLog.error("log and Smile capture off", t);
            }
        }
        // Everything else is built on the sender thread itself: Netty, JMX and the host name lookup take
        // from a hundred milliseconds to seconds on a busy machine, which premain would add to the
        // application's start-up.
        final AtomicReference<Shipper> started = new AtomicReference<>();
        final Thread sender = new Thread(() ->
        {
            // Netty, JMX and the host name lookup would compete with the application's own start-up (and the JIT
            // compiling it) on a small machine: wait first, unless the JVM is already exiting.
            final long startAt = System.nanoTime() + config.startDelayNanos();
            while (!exiting && System.nanoTime() - startAt < 0)
            {
                LockSupport.parkNanos(startAt - System.nanoTime());
            }
            final Shipper shipper;
            try
            {
                if (config.jvmMetrics())
                {
                    SextantAgent.openManagement(inst);
                }
                shipper = new Shipper(config, new SystemNanoClock(), ring, api, custom, models, sink,
                    config.jvmMetrics() ?
                        new JvmMetrics(config.jfr(), config.jfrIntervalNanos(), config.jfrLockThresholdNanos()) : null,
                    hello(config));
            }
            catch (final Throwable t)
            {
                AgentLog.error("agent off: could not start the sender", t);
                return;
            }
            started.set(shipper);
            new AgentRunner(new SenderIdle(Shipper.DRAIN_LIMIT, TimeUnit.MILLISECONDS.toNanos(10)),
                error -> AgentLog.error("sender error", error), null, shipper).run();
        }, "sextant-sender");
        sender.setDaemon(true);
        sender.start();
        final long flushNanos = config.shutdownTimeoutNanos();
        if (flushNanos > 0)
        {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> flushOnExit(started, sender, flushNanos),
                "sextant-shutdown"));
        }
    }

    /**
     * At JVM exit: waits, within the shutdown timeout, for a sender still being built, then has it
     * send what it holds.
     */
    private static void flushOnExit(final AtomicReference<Shipper> started, final Thread sender, final long timeoutNanos)
    {
        exiting = true;
        LockSupport.unpark(sender);
        final long deadline = System.nanoTime() + timeoutNanos;
        Shipper shipper = started.get();
        while (shipper == null && sender.isAlive() && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            shipper = started.get();
        }
        final long left = deadline - System.nanoTime();
        if (shipper != null && left > 0)
        {
            shipper.flush(left);
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

    /**
     * Builds the Logback and Log4j 2 transformer when asked. A named class rather than a method
     * reference: resolving {@code LibraryCapture::transformer} in premain would load and verify
     * {@code LibraryCapture}, and with it part of Byte Buddy, before any of it is needed.
     */
    private static final class LogLibraries implements Supplier<ClassFileTransformer>
    {
        @Override
        public ClassFileTransformer get()
        {
            return LibraryCapture.transformer();
        }
    }

    /** Builds the Smile transformer when asked (a named class for the same reason as {@link LogLibraries}). */
    private static final class SmileLibrary implements Supplier<ClassFileTransformer>
    {
        private final SmileRecorder recorder;

        SmileLibrary(final SmileRecorder recorder)
        {
            this.recorder = recorder;
        }

        @Override
        public ClassFileTransformer get()
        {
            return SmileCapture.transformer(recorder);
        }
    }
}
