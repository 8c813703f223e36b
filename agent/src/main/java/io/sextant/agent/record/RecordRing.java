package io.sextant.agent.record;

import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bounded many-to-one ring buffer between application threads (writers) and the sender
 * thread (the only reader), over off-heap memory, with drop counters.
 *
 * <p>Record layouts (native byte order; strings are an int32 char count followed by UTF-16 chars,
 * which keeps encoding on application threads a plain copy; the sender converts to UTF-8):
 *
 * <pre>
 * INFERENCE: timeNanos i64 | latencyNanos i64 | number f64 | score f64 | modelId i32 | outcome i8 |
 *            kind i8 | numCount i16 | catCount i16 | class str | predictionId str |
 *            numCount x f64 | catCount x str
 *            (class: a negative count c stands for the model's class code -1 - c, with no chars)
 * LABEL:     timeNanos i64 | number f64 | kind i32 | model str | predictionId str | class str
 * LOG:       timeNanos i64 | fingerprint i64 | traceHi i64 | traceLo i64 | spanId i64 | level i32 |
 *            logger str | thread str | pattern str | message str | exceptionClass str
 * </pre>
 *
 * <p>Time: application threads stamp records with {@link #timeNanos()}, a wall clock the sender
 * advances each duty cycle ({@link #advanceClock}) in whole milliseconds, the resolution
 * {@code System.currentTimeMillis()} had. Reading the system clock costs an application thread from
 * 20 ns to over 100 ns on virtual machines (kvm-clock); reading this field costs a load, and the
 * field's cache line changes at most once per millisecond. While the sender idles it parks for up to
 * 10 ms, so a stamp may lag by that much.
 *
 * <p>Threads: any number of writers; one reader, the sender thread, which also advances the clock.
 */
public final class RecordRing
{
    public static final int MSG_INFERENCE = 1;
    public static final int MSG_LABEL = 2;
    public static final int MSG_LOG = 3;

    private final ManyToOneRingBuffer ring;
    private final long address;
    private final AtomicLong dropped = new AtomicLong();
    private volatile long timeNanos = System.currentTimeMillis() * 1_000_000L;

    /**
     * @param capacity data capacity in bytes, a power of two.
     */
    public RecordRing(final int capacity)
    {
        ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
        address = ring.buffer().addressOffset();
    }

    /**
     * @return wall-clock time in nanoseconds since the epoch, at millisecond resolution, as last
     * advanced by the sender.
     */
    public long timeNanos()
    {
        return timeNanos;
    }

    /**
     * Sender thread only: moves the records' clock on when a new millisecond has begun.
     *
     * @param epochMillis {@code System.currentTimeMillis()}.
     */
    public void advanceClock(final long epochMillis)
    {
        final long nanos = epochMillis * 1_000_000L;
        if (nanos != timeNanos)
        {
            timeNanos = nanos;
        }
    }

    /**
     * @return the native address of index 0 of {@link #buffer()}, for writers that stay inside their
     * claim and skip the buffer's bounds checks ({@link #putLongAt} and friends).
     */
    public long address()
    {
        return address;
    }

    /**
     * @param address absolute address inside a claimed record.
     * @param value   the value, native byte order.
     */
    public static void putLongAt(final long address, final long value)
    {
        UnsafeApi.putLong(address, value);
    }

    /**
     * @param address absolute address inside a claimed record.
     * @param value   the value, native byte order.
     */
    public static void putDoubleAt(final long address, final double value)
    {
        UnsafeApi.putDouble(address, value);
    }

    /**
     * @param address absolute address inside a claimed record.
     * @param value   the value, native byte order.
     */
    public static void putIntAt(final long address, final int value)
    {
        UnsafeApi.putInt(address, value);
    }

    /**
     * @param address absolute address inside a claimed record.
     * @param value   the value, native byte order.
     */
    public static void putShortAt(final long address, final short value)
    {
        UnsafeApi.putShort(address, value);
    }

    /**
     * @param address absolute address inside a claimed record.
     * @param value   the value.
     */
    public static void putByteAt(final long address, final byte value)
    {
        UnsafeApi.putByte(address, value);
    }

    /**
     * Writes a string as {@link #putString} does, at an absolute address, never past {@code end}:
     * the chars that do not fit are cut (a caller that measured the string first only sees a cut
     * when another thread swapped the string in between).
     *
     * @param address  where to write.
     * @param end      first address past the claim.
     * @param s        the string, may be null (written as empty).
     * @param maxChars most chars kept.
     * @return the address after the string.
     */
    public static long putStringAt(final long address, final long end, final String s, final int maxChars)
    {
        final int n = s == null ? 0 : (int)Math.min(Math.min(s.length(), maxChars), Math.max(0, (end - address - 4) >> 1));
        UnsafeApi.putInt(address, n);
        long at = address + 4;
        for (int i = 0; i < n; i++)
        {
            UnsafeApi.putChar(at, s.charAt(i));
            at += 2;
        }
        return at;
    }

    /**
     * @param msgTypeId record type.
     * @param length    bytes to claim.
     * @return the index to write at, or a negative value when full (already counted as a drop).
     */
    public int claim(final int msgTypeId, final int length)
    {
        final int index = length <= ring.maxMsgLength() ? ring.tryClaim(msgTypeId, length) : RingBuffer.INSUFFICIENT_CAPACITY;
        if (index < 0)
        {
            dropped.incrementAndGet();
        }
        return index;
    }

    /**
     * @return the buffer to write claimed records into.
     */
    public MutableDirectBuffer buffer()
    {
        return ring.buffer();
    }

    /**
     * @param index from {@link #claim}.
     */
    public void commit(final int index)
    {
        ring.commit(index);
    }

    /**
     * @param index from {@link #claim}, when the writer gives up after claiming.
     */
    public void abort(final int index)
    {
        ring.abort(index);
    }

    /**
     * @return the ring buffer, for the reading thread.
     */
    public ManyToOneRingBuffer ring()
    {
        return ring;
    }

    /**
     * @return records dropped because the ring was full or a record too large.
     */
    public long dropped()
    {
        return dropped.get();
    }

    /**
     * @return fill ratio from 0 to 1.
     */
    public double fill()
    {
        return (double)ring.size() / ring.capacity();
    }

    /**
     * @param s a string, may be null.
     * @param maxChars most chars kept.
     * @return bytes {@link #putString} writes.
     */
    public static int stringLength(final String s, final int maxChars)
    {
        return 4 + 2 * (s == null ? 0 : Math.min(s.length(), maxChars));
    }

    /**
     * @param buffer   destination.
     * @param index    where to write.
     * @param s        the string, may be null (written as empty).
     * @param maxChars most chars kept.
     * @return the index after the string.
     */
    public static int putString(final MutableDirectBuffer buffer, final int index, final String s, final int maxChars)
    {
        final int n = s == null ? 0 : Math.min(s.length(), maxChars);
        buffer.putInt(index, n);
        int at = index + 4;
        for (int i = 0; i < n; i++)
        {
            buffer.putChar(at, s.charAt(i));
            at += 2;
        }
        return at;
    }
}
