package io.sextant.collector.remediation;

import java.util.logging.Logger;

/**
 * The application of {@link RealAgentCommandIT}, run in its own JVM with the real agent: it logs
 * {@code FAULT <name>} through java.util.logging every 200 ms until killed.
 */
public final class FaultyApp
{
    private FaultyApp()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Logger log = Logger.getLogger("faulty.app");
        while (true)
        {
            log.severe("FAULT " + args[0]);
            Thread.sleep(200);
        }
    }
}
