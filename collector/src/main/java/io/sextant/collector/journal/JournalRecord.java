package io.sextant.collector.journal;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Layout of one journal record (and of one ring-buffer message, which is the same bytes). All
 * fields little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                       Kind (int32)                            |  0
 *  +---------------------------------------------------------------+
 *  |        Client slot (int32, meaningful only in the ring)       |  4
 *  +---------------------------------------------------------------+
 *  |                   Connection id (int64)                       |  8
 *  +---------------------------------------------------------------+
 *  |             Agent id, most significant 64 bits                | 16
 *  +---------------------------------------------------------------+
 *  |             Agent id, least significant 64 bits               | 24
 *  +---------------------------------------------------------------+
 *  |                    Session id (int64)                         | 32
 *  +---------------------------------------------------------------+
 *  |           Received at, Unix epoch nanoseconds (int64)         | 40
 *  +---------------------------------------------------------------+
 *  |   Body: a whole protocol frame (header included), or an OTLP  | 48
 *  |   Export*ServiceRequest in protobuf, or nothing               |
 * </pre>
 */
public final class JournalRecord
{
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    public static final int KIND_OFFSET = 0;
    public static final int SLOT_OFFSET = 4;
    public static final int CONNECTION_OFFSET = 8;
    public static final int AGENT_MSB_OFFSET = 16;
    public static final int AGENT_LSB_OFFSET = 24;
    public static final int SESSION_OFFSET = 32;
    public static final int RECEIVED_OFFSET = 40;
    public static final int HEADER_LENGTH = 48;

    /** Body is one agent protocol frame: HELLO (token removed), DEFINE or a sequenced data frame. */
    public static final int KIND_AGENT_FRAME = 1;
    /** Body is an OTLP ExportMetricsServiceRequest (protobuf). */
    public static final int KIND_OTLP_METRICS = 2;
    /** Body is an OTLP ExportLogsServiceRequest (protobuf). */
    public static final int KIND_OTLP_LOGS = 3;
    /** Body is an OTLP ExportTraceServiceRequest (protobuf). */
    public static final int KIND_OTLP_TRACES = 4;
    /** An agent connection closed; no body. Frees the client slot in the writer. */
    public static final int KIND_CONNECTION_CLOSED = 5;
    /** A client slot is released without a journal record (not journaled). */
    public static final int KIND_RELEASE = 6;
    /**
     * Body is a model-operations notice from the query API, as JSON: delayed labels, a training profile
     * registered, an alias changed (see {@code io.sextant.collector.mlops.ModelFeed}).
     */
    public static final int KIND_MODEL_API = 7;

    private JournalRecord()
    {
    }

    public static void putHeader(
        final MutableDirectBuffer buffer, final int offset, final int kind, final int slot, final long connectionId,
        final long agentMsb, final long agentLsb, final long sessionId, final long receivedNanos)
    {
        buffer.putInt(offset + KIND_OFFSET, kind, ORDER);
        buffer.putInt(offset + SLOT_OFFSET, slot, ORDER);
        buffer.putLong(offset + CONNECTION_OFFSET, connectionId, ORDER);
        buffer.putLong(offset + AGENT_MSB_OFFSET, agentMsb, ORDER);
        buffer.putLong(offset + AGENT_LSB_OFFSET, agentLsb, ORDER);
        buffer.putLong(offset + SESSION_OFFSET, sessionId, ORDER);
        buffer.putLong(offset + RECEIVED_OFFSET, receivedNanos, ORDER);
    }

    public static int kind(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + KIND_OFFSET, ORDER);
    }

    public static int slot(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + SLOT_OFFSET, ORDER);
    }

    public static long connectionId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + CONNECTION_OFFSET, ORDER);
    }

    public static long agentMsb(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + AGENT_MSB_OFFSET, ORDER);
    }

    public static long agentLsb(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + AGENT_LSB_OFFSET, ORDER);
    }

    public static long sessionId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SESSION_OFFSET, ORDER);
    }

    public static long receivedNanos(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + RECEIVED_OFFSET, ORDER);
    }
}
