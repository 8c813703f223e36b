package io.sextant.agent.ship;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The sender's idle strategy: a {@link BackoffIdleStrategy} that treats a duty cycle with little
 * work as idle. A plain back-off resets on any work at all, so an application writing a steady
 * trickle of records (a few per cycle) keeps the sender spinning on a whole core; here the sender
 * keeps backing off (to parks of up to the maximum) until a cycle does at least
 * {@code busyWork} items (a full drain), and the records wait in the ring buffer for that long at
 * most, well within the batch delay. Backing off goes almost straight to parking (one spin, one
 * yield, then parks from 100 us): on a small machine a spinning sender takes its core from the
 * application. Under real load the cycles are full and the sender runs flat out.
 *
 * <p>Threads: the sender thread only.
 */
public final class SenderIdle implements IdleStrategy
{
    private final BackoffIdleStrategy backoff;
    private final int busyWork;

    /**
     * @param busyWork     work count from which a cycle counts as busy.
     * @param maxParkNanos longest park.
     */
    public SenderIdle(final int busyWork, final long maxParkNanos)
    {
        this.busyWork = busyWork;
        this.backoff = new BackoffIdleStrategy(1, 1, 100_000, maxParkNanos);
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount >= busyWork)
        {
            backoff.reset();
        }
        else
        {
            backoff.idle();
        }
    }

    @Override
    public void idle()
    {
        backoff.idle();
    }

    @Override
    public void reset()
    {
        backoff.reset();
    }

    @Override
    public String alias()
    {
        return "sender-backoff";
    }
}
