package io.sextant.protocol.netty;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Fails a test that leaked a Netty buffer. Registered for every Jupiter test through
 * {@code META-INF/services} and {@code junit.jupiter.extensions.autodetection.enabled}; jqwik
 * properties call {@link #assertNoLeaks()} themselves.
 */
public final class NoLeaks implements AfterEachCallback
{
    @Override
    public void afterEach(final ExtensionContext context)
    {
        assertNoLeaks();
    }

    /**
     * @throws AssertionError listing every leak detected since the previous check.
     */
    public static void assertNoLeaks()
    {
        final List<String> leaks = LeakDetection.collect();
        if (!leaks.isEmpty())
        {
            throw new AssertionError(leaks.size() + " ByteBuf leak(s):\n" + String.join("\n\n", leaks));
        }
    }
}
