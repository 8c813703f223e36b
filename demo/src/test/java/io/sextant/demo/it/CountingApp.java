package io.sextant.demo.it;

import io.sextant.api.Model;
import io.sextant.api.Sextant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.locks.LockSupport;

/**
 * A test workload for {@link AgentCollectorSystemIT}: records exactly {@code N} classifications
 * through {@code sextant-api} at a steady rate and logs every thousandth through Logback, then
 * prints {@code done N} and idles until killed, so its agent can finish resending.
 *
 * <p>Arguments: {@code N rate-per-second}.
 */
public final class CountingApp
{
    private static final Logger LOG = LoggerFactory.getLogger(CountingApp.class);

    private CountingApp()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final int total = Integer.parseInt(args[0]);
        final int rate = Integer.parseInt(args[1]);
        final Model model = Sextant.model("counting-model", "1.0.0", new String[] {"x", "y"}, new String[0]);
        final long intervalNanos = 1_000_000_000L / rate;
        final double[] features = new double[2];
        long next = System.nanoTime();
        System.out.println("started attached=" + Sextant.isAttached());
        for (int i = 1; i <= total; i++)
        {
            features[0] = i % 100;
            features[1] = (i * 7) % 13;
            model.recordClass(150_000 + (i % 50) * 1_000, (i & 1) == 0 ? "approve" : "reject", 0.8, null, features,
                null);
            if (i % 1000 == 0)
            {
                LOG.info("Scored {} requests so far", i);
            }
            next += intervalNanos;
            final long wait = next - System.nanoTime();
            if (wait > 0)
            {
                LockSupport.parkNanos(wait);
            }
        }
        System.out.println("done " + total);
        Thread.sleep(Long.MAX_VALUE);
    }
}
