package io.sextant.agent.command;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CommandRunnerTest
{
    @Test
    void aThreadDumpTooLargeForOneResultCutsStacksAndKeepsEveryThread() throws Exception
    {
        final CountDownLatch ready = new CountDownLatch(40);
        final CountDownLatch release = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 40; i++)
        {
            final Thread t = new Thread(() -> deep(200, ready, release), "deep-stack-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        try
        {
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            final String dump = CommandRunner.threadDump();
            assertThat(dump.length()).isLessThanOrEqualTo(CommandRunner.MAX_OUTPUT_CHARS);
            for (int i = 0; i < 40; i++)
            {
                assertThat(dump).contains("\"deep-stack-" + i + "\"");
            }
            assertThat(dump).contains("more frames");
        }
        finally
        {
            release.countDown();
            for (final Thread t : threads)
            {
                t.join(10_000);
            }
        }
    }

    private static void deep(final int depth, final CountDownLatch ready, final CountDownLatch release)
    {
        if (depth > 0)
        {
            deep(depth - 1, ready, release);
            return;
        }
        ready.countDown();
        try
        {
            release.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
