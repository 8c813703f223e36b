package io.sextant.agent.it.apps;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Starts {@link DemoApp} the way a fat-jar launcher does: in a child class loader that holds the
 * application classes and {@code sextant-api}. Its parent is the platform loader, so neither the
 * API nor the application can see the system class path, where the agent lives: the agent must
 * bind through the bootstrap bridge. {@code ChildLoaderLauncher <api jar or dir> <app classes dir>
 * <DemoApp args...>}.
 */
public final class ChildLoaderLauncher
{
    private ChildLoaderLauncher()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final URL[] urls = {Path.of(args[0]).toUri().toURL(), Path.of(args[1]).toUri().toURL()};
        try (URLClassLoader loader = new URLClassLoader("app", urls, ClassLoader.getPlatformClassLoader()))
        {
            final Class<?> app = Class.forName(DemoApp.class.getName(), true, loader);
            System.out.println("CHILD-LOADER api loader=" +
                Class.forName("io.sextant.api.Sextant", false, loader).getClassLoader().getName());
            final String[] rest = new String[args.length - 2];
            System.arraycopy(args, 2, rest, 0, rest.length);
            app.getMethod("main", String[].class).invoke(null, (Object)rest);
        }
    }
}
