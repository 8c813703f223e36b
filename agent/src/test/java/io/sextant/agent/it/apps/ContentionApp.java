package io.sextant.agent.it.apps;

/**
 * A system test application that contends on one monitor: {@code ContentionApp <seconds>} runs two
 * threads that take turns holding a {@link Ledger} for 20 ms each (so each waits about 20 ms to enter
 * it) and asks for a GC every 200 ms (a safepoint), printing {@code CONTENTION-APP STARTED}.
 */
public final class ContentionApp
{
    /** The contended monitor's class, named in the agent's {@code jvm.monitor.contended.*} series. */
    public static final class Ledger
    {
        private long entries;

        synchronized void post() throws InterruptedException
        {
            entries++;
            Thread.sleep(20);
        }
    }

    private ContentionApp()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final long end = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000_000L;
        final Ledger ledger = new Ledger();
        final Runnable work = () ->
        {
            try
            {
                while (System.nanoTime() - end < 0)
                {
                    ledger.post();
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        };
        final Thread a = new Thread(work, "poster-a");
        final Thread b = new Thread(work, "poster-b");
        a.start();
        b.start();
        System.out.println("CONTENTION-APP STARTED");
        while (System.nanoTime() - end < 0)
        {
            System.gc();
            Thread.sleep(200);
        }
        a.join();
        b.join();
        System.out.println("CONTENTION-APP DONE " + ledger.entries);
    }
}
