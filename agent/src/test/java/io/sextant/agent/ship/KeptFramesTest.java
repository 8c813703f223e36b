package io.sextant.agent.ship;

import io.sextant.protocol.Frame;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeptFramesTest
{
    private static UnsafeBuffer frame(final long sequence, final int length)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(length));
        frame.putInt(Frame.LENGTH_OFFSET, length, Frame.BYTE_ORDER);
        frame.putLong(Frame.SEQUENCE_OFFSET, sequence, Frame.BYTE_ORDER);
        for (int i = Frame.HEADER_LENGTH; i < length; i++)
        {
            frame.putByte(i, (byte)(sequence * 31 + i));
        }
        return frame;
    }

    private static void assertFrame(final KeptFrames kept, final long entry, final long sequence, final int length)
    {
        assertEquals(sequence, kept.sequence(entry));
        assertEquals(length, kept.length(entry));
        final ByteBuffer view = kept.view(entry);
        assertEquals(length, view.remaining());
        final UnsafeBuffer bytes = new UnsafeBuffer(view);
        assertEquals(sequence, Frame.sequence(bytes, 0));
        for (int i = Frame.HEADER_LENGTH; i < length; i++)
        {
            assertEquals((byte)(sequence * 31 + i), bytes.getByte(i), "byte " + i + " of frame " + sequence);
        }
    }

    @Test
    void startsSmallAndGrowsOnlyAsFramesPileUpKeepingEveryByteInOrder()
    {
        final KeptFrames kept = new KeptFrames(12 << 20);
        assertEquals(KeptFrames.INITIAL_BYTES, kept.allocated());
        assertEquals(12 << 20, kept.capacity());
        final int length = 60_000;
        long sequence = 0;
        while (kept.hasRoom(length))
        {
            assertTrue(kept.append(frame(++sequence, length), 0, length));
        }
        // unacknowledged, it fills the whole bound, no more
        assertEquals((12 << 20) / length, sequence);
        assertEquals(12 << 20, kept.allocated());
        assertFalse(kept.append(frame(sequence + 1, length), 0, length));
        for (long entry = kept.firstEntry(); entry < kept.endEntry(); entry++)
        {
            assertFrame(kept, entry, entry + 1, length);
        }
        assertEquals(50, kept.release(50));
        assertEquals(sequence - 50, kept.frames());
        assertFrame(kept, kept.firstEntry(), 51, length);
    }

    @Test
    void aConnectedAgentWhoseFramesAreAcknowledgedStaysAtItsFirstAllocation()
    {
        final KeptFrames kept = new KeptFrames(12 << 20);
        final Random random = new Random(7);
        long sequence = 0;
        for (int i = 0; i < 20_000; i++)
        {
            final int length = Frame.HEADER_LENGTH + random.nextInt(16_000);
            assertTrue(kept.append(frame(++sequence, length), 0, length));
            if (kept.frames() > 4)
            {
                kept.release(sequence - 4);
            }
        }
        assertEquals(KeptFrames.INITIAL_BYTES, kept.allocated());
        assertFrame(kept, kept.endEntry() - 1, sequence, kept.length(kept.endEntry() - 1));
    }

    @Test
    void growsAcrossTheWrapOfTheFirstRegionWithoutLosingOrder()
    {
        final KeptFrames kept = new KeptFrames(4 << 20);
        final Random random = new Random(11);
        long sequence = 0;
        long acked = 0;
        // wrap the small region a few times, then let frames pile up (no acknowledgements) so it grows mid-wrap
        for (int i = 0; i < 3_000; i++)
        {
            final int length = Frame.HEADER_LENGTH + random.nextInt(30_000);
            if (!kept.hasRoom(length))
            {
                break;
            }
            assertTrue(kept.append(frame(++sequence, length), 0, length));
            if (i < 200 && kept.frames() > 3)
            {
                acked = sequence - 3;
                kept.release(acked);
            }
        }
        assertTrue(kept.allocated() > KeptFrames.INITIAL_BYTES);
        long expected = acked + 1;
        for (long entry = kept.firstEntry(); entry < kept.endEntry(); entry++)
        {
            assertFrame(kept, entry, expected++, kept.length(entry));
        }
        assertEquals(sequence + 1, expected);
        kept.release(sequence);
        assertEquals(0, kept.frames());
        assertEquals(0, kept.bytes());
    }
}
