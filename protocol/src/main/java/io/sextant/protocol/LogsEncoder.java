package io.sextant.protocol;

/**
 * Encodes a LOGS payload: {@code baseTimeNanos int64, count uint16}, then per record
 * {@code timeDelta zigzag varint (ns), level uint8, logger string, thread string, pattern string,
 * message string, exceptionClass string, stackFingerprint int64, traceId bytes (0 or 16),
 * spanId bytes (0 or 8), attributes pairs}.
 *
 * <p>Not thread-safe.
 */
public final class LogsEncoder extends RecordBatch
{
    private static final CharSequence[] NO_STRINGS = new CharSequence[0];

    /**
     * @param writer        payload writer from {@link FrameWriter#begin} with type LOGS.
     * @param baseTimeNanos Unix epoch nanoseconds that record times are relative to.
     * @return this.
     */
    public LogsEncoder wrap(final WireWriter writer, final long baseTimeNanos)
    {
        begin(writer, baseTimeNanos);
        return this;
    }

    /**
     * Appends a record, or nothing when it does not fit.
     *
     * @param timeNanos        Unix epoch nanoseconds.
     * @param level            severity.
     * @param logger           logger name.
     * @param thread           thread name.
     * @param pattern          the unformatted message (for example "User {} logged in"), or empty.
     * @param message          the formatted message.
     * @param exceptionClass   class name of the attached throwable, or empty.
     * @param stackFingerprint hash of the throwable's stack frames, or 0.
     * @param traceIdHigh      high 64 bits of the trace id, the first 16 of its 32 hex digits (0 with traceIdLow 0
     *                         when absent); written as 8 bytes, most significant first.
     * @param traceIdLow       low 64 bits of the trace id, its last 16 hex digits.
     * @param spanId           span id (its 16 hex digits as a number), or 0 when absent; written most significant
     *                         byte first.
     * @param attrKeys         attribute keys (for example MDC entries); may be null when attrCount is 0.
     * @param attrValues       attribute values.
     * @param attrCount        number of attributes.
     * @return false when the frame is full; nothing was written.
     */
    public boolean record(
        final long timeNanos, final LogLevel level, final CharSequence logger, final CharSequence thread,
        final CharSequence pattern, final CharSequence message, final CharSequence exceptionClass,
        final long stackFingerprint, final long traceIdHigh, final long traceIdLow, final long spanId,
        final CharSequence[] attrKeys, final CharSequence[] attrValues, final int attrCount)
    {
        final int bound = 11 + 1 + bound(logger) + bound(thread) + bound(pattern) + bound(message) +
            bound(exceptionClass) + 8 + 17 + 9 + bound(attrKeys, attrValues, attrCount);
        if (!hasRoom(bound))
        {
            return false;
        }
        final int start = writer.position();
        try
        {
            writer.putZigZag(timeNanos - baseTime).putByte(level.code()).putString(logger).putString(thread)
                .putString(pattern).putString(message).putString(exceptionClass).putLong(stackFingerprint);
            if (traceIdHigh == 0 && traceIdLow == 0)
            {
                writer.putByte(0);
            }
            else
            {
                // Ids are raw bytes in W3C / OTLP order (most significant byte first), not little-endian int64s.
                writer.putByte(16).putLong(Long.reverseBytes(traceIdHigh)).putLong(Long.reverseBytes(traceIdLow));
            }
            if (spanId == 0)
            {
                writer.putByte(0);
            }
            else
            {
                writer.putByte(8).putLong(Long.reverseBytes(spanId));
            }
            Pairs.putText(writer, attrKeys == null ? NO_STRINGS : attrKeys, attrValues, attrCount);
        }
        catch (final RuntimeException ex)
        {
            writer.position(start); // a refused record leaves the payload as it was
            throw ex;
        }
        count++;
        return true;
    }
}
