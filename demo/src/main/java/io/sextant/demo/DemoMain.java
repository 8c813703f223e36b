package io.sextant.demo;

import io.sextant.api.Sextant;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the demo workload: {@code java -javaagent:agent/target/sextant-agent.jar -jar
 * demo/target/sextant-demo.jar [--rate N] [--workers N] [--cycle DURATION] [--duration DURATION]
 * [--seed N] [--api URL|none]}; {@code --api} is the collector's query API, where the model versions are
 * registered with their training profiles (none by default: the demo never writes to a collector it was
 * not pointed at; {@code bin/sextant-demo} passes the one it starts). Durations are ISO-8601 ({@code PT10M}) or a number with a unit
 * ({@code 10m}, {@code 90s}). Runs until stopped (Ctrl-C) or for {@code --duration}.
 */
public final class DemoMain
{
    private DemoMain()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        int rate = 100;
        int workers = 2;
        Duration cycle = Duration.ofMinutes(10);
        Duration duration = Duration.ZERO;
        long seed = 42;
        String api = "none";
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if ("--help".equals(arg) || "-h".equals(arg))
            {
                System.out.println("usage: sextant-demo [--rate N] [--workers N] [--cycle 10m] [--duration 0] [--seed N]" +
                    " [--api http://127.0.0.1:4720 | none (default)]");
                return;
            }
            if (i + 1 >= args.length)
            {
                fail("option " + arg + " needs a value");
            }
            final String value = args[++i];
            switch (arg)
            {
                case "--rate" -> rate = positive(arg, value);
                case "--workers" -> workers = positive(arg, value);
                case "--cycle" -> cycle = duration(arg, value);
                case "--duration" -> duration = duration(arg, value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--api" -> api = value;
                default -> fail("unknown option " + arg + " (try --help)");
            }
        }

        final FaultSchedule schedule = new FaultSchedule(cycle.toMillis());
        final LoanService service = new LoanService(schedule, rate, workers, seed,
            "none".equals(api) ? null : new RegistryClient(api));
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            service.stop();
            stopped.countDown();
        }, "demo-shutdown"));
        service.start();
        System.out.printf("sextant-demo: scoring %d requests/s with model %s; fault cycle %ds after %ds of clean " +
            "running; agent %s%n", rate, LoanService.MODEL, cycle.toSeconds(), schedule.leadInMillis() / 1000,
            Sextant.isAttached() ? "attached" : "NOT attached");
        if (duration.isZero())
        {
            stopped.await();
        }
        else
        {
            Thread.sleep(duration.toMillis());
            service.stop();
        }
    }

    private static int positive(final String option, final String value)
    {
        try
        {
            final int n = Integer.parseInt(value);
            if (n > 0)
            {
                return n;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // reported below
        }
        fail(option + " needs a positive integer, got '" + value + "'");
        return 0;
    }

    private static Duration duration(final String option, final String value)
    {
        try
        {
            if (value.startsWith("P") || value.startsWith("p"))
            {
                return Duration.parse(value);
            }
            final String digits = value.replaceAll("[a-z]+$", "");
            final long n = Long.parseLong(digits);
            return switch (value.substring(digits.length()))
            {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException();
            };
        }
        catch (final RuntimeException ex)
        {
            fail(option + " needs a duration such as 90s, 10m or PT10M, got '" + value + "'");
            return Duration.ZERO;
        }
    }

    private static void fail(final String message)
    {
        System.err.println("sextant-demo: " + message);
        System.exit(2);
    }
}
