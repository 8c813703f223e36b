package io.sextant.agent.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded agent jar holds only {@code io/sextant/} and {@code META-INF/}: every dependency is
 * relocated, no {@code sextant-api} class can shadow the application's copy, and the manifest
 * declares the agent entry points.
 */
class ShadedJarIT
{
    @Test
    void containsNothingOutsideIoSextantAndMetaInf() throws IOException
    {
        final List<String> leaks = new ArrayList<>();
        final List<String> api = new ArrayList<>();
        int shaded = 0;
        try (JarFile jar = new JarFile(AppProcess.agentJar().toFile()))
        {
            final Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements())
            {
                final String name = entries.nextElement().getName();
                if (!name.startsWith("io/sextant/") && !name.startsWith("META-INF/") && !name.equals("io/"))
                {
                    leaks.add(name);
                }
                if (name.startsWith("io/sextant/api/"))
                {
                    api.add(name);
                }
                if (name.startsWith("io/sextant/agent/shaded/"))
                {
                    shaded++;
                }
                assertThat(name).doesNotStartWith("META-INF/versions/").doesNotEndWith(".SF");
            }
        }
        assertThat(leaks).isEmpty();
        assertThat(api).isEmpty();
        assertThat(shaded).isGreaterThan(1000);
    }

    @Test
    void declaresTheAgentEntryPoints() throws IOException
    {
        try (JarFile jar = new JarFile(AppProcess.agentJar().toFile()))
        {
            final Attributes main = jar.getManifest().getMainAttributes();
            assertThat(main.getValue("Premain-Class")).isEqualTo("io.sextant.agent.SextantAgent");
            assertThat(main.getValue("Agent-Class")).isEqualTo("io.sextant.agent.SextantAgent");
            assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
            assertThat(main.getValue("Can-Redefine-Classes")).isEqualTo("true");
            for (final String relocated : List.of("org/agrona", "io/netty", "net/bytebuddy", "org/HdrHistogram",
                "io/sextant/protocol"))
            {
                assertThat(jar.getEntry("io/sextant/agent/shaded/" + relocated + "/")).as(relocated).isNotNull();
            }
        }
    }
}
