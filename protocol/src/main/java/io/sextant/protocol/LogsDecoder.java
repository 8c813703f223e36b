package io.sextant.protocol;

import org.agrona.DirectBuffer;

/**
 * Decodes a LOGS payload one record at a time (see {@link LogsEncoder} for the layout),
 * validating as it goes. Allocates nothing.
 *
 * <p>Not thread-safe.
 */
public final class LogsDecoder
{
    private final WireReader reader = new WireReader();
    private final BufferSlice logger = new BufferSlice();
    private final BufferSlice thread = new BufferSlice();
    private final BufferSlice pattern = new BufferSlice();
    private final BufferSlice message = new BufferSlice();
    private final BufferSlice exceptionClass = new BufferSlice();
    private final BufferSlice traceId = new BufferSlice();
    private final BufferSlice spanId = new BufferSlice();
    private final PairCursor attributes = new PairCursor();
    private long baseTimeNanos;
    private int count;
    private int index;
    private long timeNanos;
    private LogLevel level;
    private long stackFingerprint;
    private int attributesOffset;
    private int attributesLimit;

    public LogsDecoder wrap(final DirectBuffer buffer, final int offset, final int limit)
    {
        reader.wrap(buffer, offset, limit);
        baseTimeNanos = reader.getLong("baseTimeNanos");
        count = RecordBatch.readCount(reader);
        index = 0;
        return this;
    }

    public long baseTimeNanos()
    {
        return baseTimeNanos;
    }

    public int count()
    {
        return count;
    }

    /**
     * @return the buffer offset just past the record {@link #next()} last decoded (before the first call, where
     *         the records begin), so that a sender can cut a batch into smaller frames at record boundaries.
     */
    public int recordEnd()
    {
        return reader.position();
    }

    /**
     * @return true when positioned on a further record.
     */
    public boolean next()
    {
        if (index >= count)
        {
            return false;
        }
        index++;
        timeNanos = baseTimeNanos + reader.getZigZag("timeDelta");
        final int levelCode = reader.getUByte("level");
        level = LogLevel.of(levelCode);
        if (level == null)
        {
            throw new ProtocolException(ErrorCode.MALFORMED, "log record " + index + " has unknown level " + levelCode);
        }
        reader.getSlice("logger", logger);
        reader.getSlice("thread", thread);
        reader.getSlice("pattern", pattern);
        reader.getSlice("message", message);
        reader.getSlice("exceptionClass", exceptionClass);
        stackFingerprint = reader.getLong("stackFingerprint");
        reader.getSlice("traceId", traceId);
        if (traceId.byteLength() != 0 && traceId.byteLength() != 16)
        {
            throw new ProtocolException(ErrorCode.MALFORMED, "traceId must be 0 or 16 bytes, got " + traceId.byteLength());
        }
        reader.getSlice("spanId", spanId);
        if (spanId.byteLength() != 0 && spanId.byteLength() != 8)
        {
            throw new ProtocolException(ErrorCode.MALFORMED, "spanId must be 0 or 8 bytes, got " + spanId.byteLength());
        }
        attributesOffset = reader.position();
        Pairs.skip(reader, "attributes", false);
        attributesLimit = reader.position();
        return true;
    }

    public long timeNanos()
    {
        return timeNanos;
    }

    public LogLevel level()
    {
        return level;
    }

    public BufferSlice logger()
    {
        return logger;
    }

    public BufferSlice thread()
    {
        return thread;
    }

    public BufferSlice pattern()
    {
        return pattern;
    }

    public BufferSlice message()
    {
        return message;
    }

    public BufferSlice exceptionClass()
    {
        return exceptionClass;
    }

    public long stackFingerprint()
    {
        return stackFingerprint;
    }

    /**
     * @return the 16 bytes of the trace id in W3C / OTLP order (the order of its 32 hex digits), or empty.
     */
    public BufferSlice traceId()
    {
        return traceId;
    }

    /**
     * @return the 8 bytes of the span id in W3C / OTLP order, or empty.
     */
    public BufferSlice spanId()
    {
        return spanId;
    }

    public PairCursor attributes()
    {
        return attributes.reset(reader.buffer(), attributesOffset, attributesLimit, false);
    }
}
