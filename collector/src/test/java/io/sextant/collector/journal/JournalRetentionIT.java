package io.sextant.collector.journal;

import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention on a real Chronicle journal with secondly cycles and a settable clock.
 */
class JournalRetentionIT
{
    @TempDir
    Path dir;

    private static void appendOneRecordPerCycle(final Journal journal, final SetTimeProvider time, final int cycles)
    {
        final JournalRing ring = new JournalRing(1 << 16, 4);
        final JournalWriter writer = new JournalWriter(journal, ring, 4, Long.MAX_VALUE, Long.MAX_VALUE, () -> 0);
        final UnsafeBuffer body = new UnsafeBuffer(new byte[100]);
        for (int i = 0; i < cycles; i++)
        {
            assertThat(ring.offer(JournalRecord.KIND_OTLP_LOGS, 0, i, 0, 0, 0, 0, body, 0, 100)).isTrue();
            writer.doWork();
            time.currentTimeMillis(time.currentTimeMillis() + 1000);
        }
        writer.onClose();
    }

    private static long count(final Journal journal)
    {
        long n = 0;
        try (ExcerptTailer tailer = journal.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return n;
                    }
                    n++;
                }
            }
        }
    }

    @Test
    void deletesCyclesOlderThanTheAgeLimitButNeverTheCurrentOne()
    {
        final SetTimeProvider time = new SetTimeProvider(1_795_000_000_000L);
        try (Journal journal = new Journal(dir, "TEST_SECONDLY", time, false))
        {
            appendOneRecordPerCycle(journal, time, 6);
            final List<File> before = journal.cycleFiles();
            assertThat(before).hasSize(6);
            // The clock is 1 s past the start of the last cycle, so cycle i ended (5 - i) s ago:
            // an age limit of 2.5 s deletes cycles 0, 1 and 2.
            final int deleted = journal.applyRetention(2_500, Long.MAX_VALUE);
            assertThat(deleted).isEqualTo(3);
            assertThat(journal.cycleFiles()).containsExactlyElementsOf(before.subList(3, 6));
            assertThat(count(journal)).isEqualTo(3);
            // Even an age of zero keeps the newest file.
            journal.applyRetention(0, Long.MAX_VALUE);
            assertThat(journal.cycleFiles()).hasSize(1);
        }
    }

    @Test
    void deletesOldestCyclesBeyondTheSizeLimit()
    {
        final SetTimeProvider time = new SetTimeProvider(1_795_000_000_000L);
        try (Journal journal = new Journal(dir, "TEST_SECONDLY", time, false))
        {
            appendOneRecordPerCycle(journal, time, 5);
            final List<File> files = journal.cycleFiles();
            final long perFile = files.get(0).length();
            journal.applyRetention(Long.MAX_VALUE, perFile * 3);
            assertThat(journal.cycleFiles()).containsExactlyElementsOf(files.subList(2, 5));
            journal.applyRetention(Long.MAX_VALUE, 1);
            assertThat(journal.cycleFiles()).containsExactly(files.get(4));
            assertThat(count(journal)).isEqualTo(1);
        }
    }
}
