package io.sextant.protocol.netty;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Registered through {@code META-INF/services}: installs {@link LeakDetection} when the test
 * launcher starts, before any test (JUnit, jqwik or Jazzer) can load Netty's buffer classes.
 */
public final class LeakDetectionListener implements LauncherSessionListener
{
    @Override
    public void launcherSessionOpened(final LauncherSession session)
    {
        LeakDetection.install();
    }
}
