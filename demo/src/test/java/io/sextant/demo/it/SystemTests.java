package io.sextant.demo.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Small helpers the demo module's system tests share: ports, the jars the build hands them, query
 * encoding.
 */
final class SystemTests
{
    private SystemTests()
    {
    }

    static int freePort() throws IOException
    {
        try (ServerSocket s = new ServerSocket(0))
        {
            return s.getLocalPort();
        }
    }

    /**
     * @param property a system property the build sets to a jar's path.
     * @return the jar's absolute path.
     */
    static Path jar(final String property)
    {
        return Path.of(System.getProperty(property, "missing")).toAbsolutePath();
    }

    static String enc(final String s)
    {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
