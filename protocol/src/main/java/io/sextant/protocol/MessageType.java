package io.sextant.protocol;

/**
 * Message types and their wire codes. A sequenced type carries a sequence number starting at 1
 * and is acknowledged by the collector once journaled; unsequenced types carry sequence 0.
 */
public enum MessageType
{
    /** Agent to collector: first frame on every connection. */
    HELLO(1, false),
    /** Collector to agent: handshake accepted. */
    WELCOME(2, false),
    /** Either direction: liveness and round-trip time. */
    HEARTBEAT(3, false),
    /** Collector to agent: every sequence number up to this one is journaled. */
    ACK(4, false),
    /** Either direction: a frame or the connection was refused, with a reason. */
    NACK(5, false),
    /** Agent to collector: series dictionary entries for this connection. */
    DEFINE(6, false),
    /** Agent to collector: counter, gauge and histogram samples. */
    METRICS(7, true),
    /** Agent to collector: log records. */
    LOGS(8, true),
    /** Agent to collector: model inference records. */
    INFERENCE(9, true),
    /** Agent to collector: ground-truth labels for earlier predictions. */
    LABELS(10, true),
    /** Agent to collector: model version registered, deployed, promoted or rolled back. */
    MODEL_EVENT(11, true),
    /** Collector to agent: do something (thread dump, heap histogram, log level). */
    COMMAND(12, false),
    /** Agent to collector: the outcome of a command. */
    COMMAND_RESULT(13, true);

    private static final MessageType[] BY_CODE = new MessageType[14];

    static
    {
        for (final MessageType type : values())
        {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;
    private final boolean sequenced;

    MessageType(final int code, final boolean sequenced)
    {
        this.code = code;
        this.sequenced = sequenced;
    }

    /**
     * @return the value written in the frame header's type byte.
     */
    public int code()
    {
        return code;
    }

    /**
     * @return true when frames of this type carry a sequence number and are acknowledged.
     */
    public boolean isSequenced()
    {
        return sequenced;
    }

    /**
     * @param code the type byte of a frame header.
     * @return the message type, or {@code null} when the code is unknown to this version.
     */
    public static MessageType of(final int code)
    {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
