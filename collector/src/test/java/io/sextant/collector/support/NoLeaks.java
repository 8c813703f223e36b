package io.sextant.collector.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fails a test class when Netty's leak detector (paranoid in tests) reports a leaked buffer. Netty
 * would only log the leak, and through SLF4J without a provider that log goes nowhere; this
 * extension counts leaks instead. Installed before any Netty class creates its detector.
 */
public final class NoLeaks implements AfterAllCallback
{
    private static final AtomicInteger LEAKS = new AtomicInteger();
    private static final List<String> REPORTS = new ArrayList<>();

    static
    {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory()
        {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                final Class<T> resource, final int samplingInterval, final long maxActive)
            {
                return new ResourceLeakDetector<T>(resource, samplingInterval, maxActive)
                {
                    @Override
                    protected void reportTracedLeak(final String resourceType, final String records)
                    {
                        record(resourceType + ": " + records);
                    }

                    @Override
                    protected void reportUntracedLeak(final String resourceType)
                    {
                        record(resourceType);
                    }
                };
            }
        });
    }

    private static synchronized void record(final String report)
    {
        LEAKS.incrementAndGet();
        REPORTS.add(report);
    }

    @Override
    public void afterAll(final ExtensionContext context)
    {
        // Leaks are found when a collected buffer's reference is polled during a later allocation.
        for (int round = 0; round < 5; round++)
        {
            System.gc();
            for (int i = 0; i < 100; i++)
            {
                final ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
                b.release();
            }
        }
        synchronized (NoLeaks.class)
        {
            if (LEAKS.get() > 0)
            {
                throw new AssertionError(LEAKS.get() + " Netty buffer leak(s): " + REPORTS);
            }
        }
    }
}
