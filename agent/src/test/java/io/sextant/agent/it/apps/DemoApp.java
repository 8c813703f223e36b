package io.sextant.agent.it.apps;

import io.sextant.api.Counter;
import io.sextant.api.Histogram;
import io.sextant.api.Model;
import io.sextant.api.Sextant;

import java.util.Map;

/**
 * The system tests' application: {@code DemoApp <mode> <seconds>} does the work of one mode every
 * 50 ms for the given time, printing {@code DEMO-APP STARTED} and {@code DEMO-APP DONE}. Each mode
 * only touches its own library, so the class path need hold only that library.
 */
public final class DemoApp
{
    private DemoApp()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final String mode = args[0];
        // The first thing main does: a log line that must be captured although the application has only just
        // started (the agent installs its log capture before premain returns).
        if (mode.equals("jul"))
        {
            java.util.logging.Logger.getLogger("demo.first").info("first line of main");
        }
        else if (mode.equals("logback"))
        {
            org.slf4j.LoggerFactory.getLogger("demo.first").info("first line of main");
        }
        final long seconds = Long.parseLong(args[1]);
        System.out.println("DEMO-APP STARTED " + mode + " attached=" + Sextant.isAttached());
        final long end = System.nanoTime() + seconds * 1_000_000_000L;
        int i = 0;
        final Runnable work = switch (mode)
        {
            case "jul" -> JulWork::run;
            case "logback" -> LogbackWork::run;
            case "log4j" -> Log4jWork::run;
            case "inference" -> InferenceWork::run;
            case "netty41" -> NettyWork::run;
            default -> () -> { };
        };
        while (System.nanoTime() - end < 0)
        {
            work.run();
            i++;
            Thread.sleep(50);
        }
        System.out.println("DEMO-APP DONE " + mode + " iterations=" + i);
    }

    static final class JulWork
    {
        static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger("demo.jul");
        static int n;

        static void run()
        {
            LOG.log(java.util.logging.Level.INFO, "User {0} logged in", "alice" + n++);
            LOG.log(java.util.logging.Level.WARNING, "payment failed", new IllegalStateException("card declined"));
            LOG.fine("debug enabled for demo.jul");
        }
    }

    static final class LogbackWork
    {
        static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("demo.logback");
        static int n;

        static
        {
            // Logback's default configuration logs DEBUG; the system test changes this level by command.
            ((ch.qos.logback.classic.Logger)LOG).setLevel(ch.qos.logback.classic.Level.INFO);
        }

        static void run()
        {
            org.slf4j.MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
            org.slf4j.MDC.put("span_id", "00f067aa0ba902b7");
            LOG.info("User {} logged in", "bob" + n++);
            org.slf4j.MDC.clear();
            LOG.error("payment failed", new IllegalStateException("card declined"));
            LOG.debug("debug enabled for {}", "demo.logback");
        }
    }

    static final class Log4jWork
    {
        static final org.apache.logging.log4j.Logger LOG;
        static int n;

        static
        {
            org.apache.logging.log4j.core.config.Configurator.setRootLevel(org.apache.logging.log4j.Level.INFO);
            LOG = org.apache.logging.log4j.LogManager.getLogger("demo.log4j");
        }

        static void run()
        {
            org.apache.logging.log4j.ThreadContext.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
            LOG.info("User {} logged in", "carol" + n++);
            org.apache.logging.log4j.ThreadContext.clearAll();
            LOG.error("payment failed", new IllegalStateException("card declined"));
            LOG.debug("debug enabled for {}", "demo.log4j");
        }
    }

    static final class InferenceWork
    {
        static final Model MODEL = Sextant.model("fraud", "v7", new String[] {"amount", "age"},
            new String[] {"country"});
        static final Counter ORDERS = Sextant.counter("demo.orders", "1", "shop", "main");
        static final Histogram LATENCY = Sextant.histogram("demo.latency", "ns");
        static final double[] NUMERIC = new double[2];
        static final String[] CATEGORICAL = new String[1];
        static int n;

        static
        {
            Sextant.registerModelVersion("fraud", "v7", "transactions-2024", new byte[] {1, 2, 3},
                Map.of("depth", "6"), Map.of("auc", 0.91));
            Sextant.deployed("fraud", "v7", "production");
        }

        static void run()
        {
            NUMERIC[0] = 100 + n;
            NUMERIC[1] = 40;
            CATEGORICAL[0] = "NZ";
            final String id = "order-" + n++;
            MODEL.recordClass(1_500_000, n % 2 == 0 ? "fraud" : "legit", 0.8, id, NUMERIC, CATEGORICAL);
            Sextant.labelClass("fraud", id, "legit");
            ORDERS.increment();
            LATENCY.record(1_500_000);
        }
    }
}
