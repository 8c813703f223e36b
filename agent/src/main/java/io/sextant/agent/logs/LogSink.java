package io.sextant.agent.logs;

import io.sextant.agent.bridge.LogBridge;
import io.sextant.agent.record.RecordRing;
import org.agrona.MutableDirectBuffer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives log events from the capture advice on the application's logging threads, applies the
 * minimum level and the per-second rate limit, and writes each accepted event into the ring
 * buffer (see {@link RecordRing} for the layout). Events from the agent's own threads and
 * loggers are ignored, so the agent never captures its own output.
 *
 * <p>Threads: any application thread; lock-free. It allocates only what the logging library has
 * already produced (strings) plus, for events with a throwable, nothing beyond the stack trace
 * the throwable already holds.
 */
public final class LogSink extends LogBridge
{
    static final int MAX_SHORT_CHARS = 256;
    static final int MAX_MESSAGE_CHARS = 8192;
    static final int FIXED = 44;
    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final RecordRing ring;
    private final int minLevel;
    private final long perSecond;
    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
    private final AtomicLong inWindow = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong captured = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile Thread agentThread;
    private volatile Thread ioThread;

    /**
     * @param ring      where records go.
     * @param minLevel  lowest captured protocol level.
     * @param perSecond most records captured per second.
     */
    public LogSink(final RecordRing ring, final int minLevel, final long perSecond)
    {
        this.ring = ring;
        this.minLevel = minLevel;
        this.perSecond = perSecond;
    }

    /**
     * @param agent the sender thread, whose log calls (if any) are never captured.
     */
    public void agentThread(final Thread agent)
    {
        agentThread = agent;
    }

    /**
     * @param io the network thread, whose log calls (if any) are never captured.
     */
    public void ioThread(final Thread io)
    {
        ioThread = io;
    }

    @Override
    public boolean wants(final int level)
    {
        if (level < minLevel)
        {
            return false;
        }
        final Thread current = Thread.currentThread();
        return current != agentThread && current != ioThread;
    }

    @Override
    public void record(
        final long epochMillis, final int level, final String logger, final String thread, final String pattern,
        final String message, final Throwable thrown, final String thrownClass, final String traceId,
        final String spanId)
    {
        try
        {
            if (!wants(level) || (logger != null && logger.startsWith("io.sextant.agent")) || !admit())
            {
                return;
            }
            final String exceptionClass = thrown != null ? thrown.getClass().getName() : thrownClass;
            final int length = FIXED + RecordRing.stringLength(logger, MAX_SHORT_CHARS) +
                RecordRing.stringLength(thread, MAX_SHORT_CHARS) + RecordRing.stringLength(pattern, MAX_MESSAGE_CHARS) +
                RecordRing.stringLength(message, MAX_MESSAGE_CHARS) + RecordRing.stringLength(exceptionClass, MAX_SHORT_CHARS);
            final int index = ring.claim(RecordRing.MSG_LOG, length);
            if (index < 0)
            {
                return;
            }
            final MutableDirectBuffer b = ring.buffer();
            b.putLong(index, epochMillis * 1_000_000L);
            b.putLong(index + 8, thrown == null ? 0 : fingerprint(thrown));
            b.putLong(index + 16, hex(traceId, 0, 16));
            b.putLong(index + 24, hex(traceId, 16, 32));
            b.putLong(index + 32, hex(spanId, 0, 16));
            b.putInt(index + 40, level);
            int at = RecordRing.putString(b, index + FIXED, logger, MAX_SHORT_CHARS);
            at = RecordRing.putString(b, at, thread, MAX_SHORT_CHARS);
            at = RecordRing.putString(b, at, pattern, MAX_MESSAGE_CHARS);
            at = RecordRing.putString(b, at, message, MAX_MESSAGE_CHARS);
            RecordRing.putString(b, at, exceptionClass, MAX_SHORT_CHARS);
            ring.commit(index);
            captured.incrementAndGet();
        }
        catch (final Throwable t)
        {
            errors.incrementAndGet();
        }
    }

    private boolean admit()
    {
        final long now = System.nanoTime();
        final long start = windowStart.get();
        if (now - start >= WINDOW_NANOS && windowStart.compareAndSet(start, now))
        {
            inWindow.set(0);
        }
        if (inWindow.incrementAndGet() > perSecond)
        {
            rateLimited.incrementAndGet();
            return false;
        }
        return true;
    }

    /**
     * A stable fingerprint of where an exception came from: FNV-1a over the exception class and
     * each frame's class and method names (not line numbers, so a recompile does not change it),
     * including causes.
     *
     * @param thrown the throwable.
     * @return a 64-bit hash, never 0.
     */
    public static long fingerprint(final Throwable thrown)
    {
        long h = 0xcbf29ce484222325L;
        Throwable t = thrown;
        for (int depth = 0; t != null && depth < 8; depth++)
        {
            h = fnv(h, t.getClass().getName());
            for (final StackTraceElement frame : t.getStackTrace())
            {
                h = fnv(h, frame.getClassName());
                h = fnv(h, frame.getMethodName());
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return h == 0 ? 1 : h;
    }

    private static long fnv(final long hash, final String s)
    {
        long h = hash;
        for (int i = 0; i < s.length(); i++)
        {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= '|';
        return h * 0x100000001b3L;
    }

    /**
     * @param s     hex text, or null.
     * @param from  first char.
     * @param to    char after the last.
     * @return the value, or 0 when absent or not hex.
     */
    static long hex(final String s, final int from, final int to)
    {
        if (s == null || s.length() < to)
        {
            return 0;
        }
        long v = 0;
        for (int i = from; i < to; i++)
        {
            final int d = Character.digit(s.charAt(i), 16);
            if (d < 0)
            {
                return 0;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    public long captured()
    {
        return captured.get();
    }

    public long rateLimited()
    {
        return rateLimited.get();
    }

    public long errors()
    {
        return errors.get();
    }
}
