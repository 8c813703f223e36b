package io.sextant.protocol.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes Netty buffer leaks visible to tests. {@link #install()} replaces Netty's leak detector
 * factory (before any {@code ByteBuf} class is initialised, see {@link LeakDetectionListener}) with
 * one whose detectors record every reported leak instead of only logging it. {@link #collect()}
 * forces detection: it leaks a uniquely tagged canary buffer, then runs the garbage collector and
 * allocates until the canary itself is reported, which proves that every buffer that was
 * unreachable before the canary has been examined too.
 */
public final class LeakDetection
{
    private static final String CANARY = "sextant-leak-canary-";
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static final AtomicLong CANARIES = new AtomicLong();
    private static volatile boolean installed;

    private LeakDetection()
    {
    }

    /**
     * Installs the recording factory. Idempotent; must run before Netty's buffer classes initialise.
     */
    public static synchronized void install()
    {
        if (!installed)
        {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
            ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
            installed = true;
        }
    }

    /**
     * @return true when the recording factory was installed before the buffer classes were loaded.
     */
    public static boolean isActive()
    {
        return installed && ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID;
    }

    /**
     * Runs leak detection to completion and returns (and forgets) the leaks found since the last call.
     *
     * @return leak reports, each with Netty's access records; empty when nothing leaked.
     */
    public static List<String> collect()
    {
        final String canary = CANARY + CANARIES.incrementAndGet();
        leakCanary(canary);
        final long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!canarySeen(canary))
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("leak detection did not report the canary buffer within 20 s: " +
                    "is the recording leak detector installed (LeakDetectionListener)?");
            }
            System.gc();
            Thread.onSpinWait();
            allocateAndRelease();
        }
        allocateAndRelease();
        final List<String> leaks = new ArrayList<>();
        for (final String leak : LEAKS)
        {
            LEAKS.remove(leak);
            if (!leak.contains(CANARY))
            {
                leaks.add(leak);
            }
        }
        return leaks;
    }

    private static boolean canarySeen(final String canary)
    {
        for (final String leak : LEAKS)
        {
            if (leak.contains(canary + "\n") || leak.contains(canary + "\r") || leak.endsWith(canary))
            {
                return true;
            }
        }
        return false;
    }

    private static void leakCanary(final String canary)
    {
        final ByteBuf buf = UnpooledByteBufAllocator.DEFAULT.buffer(8);
        buf.touch(canary);
    }

    private static void allocateAndRelease()
    {
        // Tracking a new buffer is what makes a detector poll its reference queue.
        UnpooledByteBufAllocator.DEFAULT.buffer(1).release();
        UnpooledByteBufAllocator.DEFAULT.directBuffer(1).release();
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory
    {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(
            final Class<T> resource, final int samplingInterval, final long maxActive)
        {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T>
    {
        RecordingDetector(final Class<T> resource, final int samplingInterval)
        {
            super(resource, samplingInterval);
        }

        @Override
        protected boolean needReport()
        {
            return true;
        }

        @Override
        protected void reportTracedLeak(final String resourceType, final String records)
        {
            LEAKS.add("LEAK: " + resourceType + " was not released before it was garbage-collected." + records);
        }

        @Override
        protected void reportUntracedLeak(final String resourceType)
        {
            LEAKS.add("LEAK: " + resourceType + " was not released before it was garbage-collected " +
                "(no access records)");
        }
    }
}
