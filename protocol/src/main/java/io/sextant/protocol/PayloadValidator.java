package io.sextant.protocol;

import org.agrona.DirectBuffer;

/**
 * Decodes a whole payload of any message type, checking every field, so that a receiver can
 * refuse a bad frame before it journals it. Allocation-free for the high-volume types (DEFINE,
 * METRICS, LOGS, INFERENCE, LABELS, ACK, HEARTBEAT); the rare control types decode to records.
 *
 * <p>Not thread-safe: one per decoding thread.
 */
public final class PayloadValidator
{
    private final WireReader reader = new WireReader();
    private final DefineDecoder define = new DefineDecoder();
    private final MetricsDecoder metrics = new MetricsDecoder();
    private final LogsDecoder logs = new LogsDecoder();
    private final InferenceDecoder inference = new InferenceDecoder();
    private final LabelsDecoder labels = new LabelsDecoder();

    /**
     * @param type   the frame's validated type.
     * @param buffer holding the frame.
     * @param offset of the payload (frame offset + {@link Frame#HEADER_LENGTH}).
     * @param limit  end of the frame.
     * @return the number of records (samples, log records, ...) in the payload; 1 for single messages.
     * @throws ProtocolException naming the first field that is wrong.
     */
    public int validate(final MessageType type, final DirectBuffer buffer, final int offset, final int limit)
    {
        int records = 0;
        switch (type)
        {
            case DEFINE:
                define.wrap(buffer, offset, limit);
                while (define.next())
                {
                    define.labels();
                    records++;
                }
                break;
            case METRICS:
                metrics.wrap(buffer, offset, limit);
                while (metrics.next())
                {
                    records++;
                }
                break;
            case LOGS:
                logs.wrap(buffer, offset, limit);
                while (logs.next())
                {
                    records++;
                }
                break;
            case INFERENCE:
                inference.wrap(buffer, offset, limit);
                while (inference.next())
                {
                    records++;
                }
                break;
            case LABELS:
                labels.wrap(buffer, offset, limit);
                while (labels.next())
                {
                    records++;
                }
                break;
            case ACK:
                Ack.decode(reader.wrap(buffer, offset, limit));
                records = 1;
                break;
            case HEARTBEAT:
                reader.wrap(buffer, offset, limit);
                Heartbeat.sentAtNanos(reader);
                Heartbeat.echoNanos(reader);
                records = 1;
                break;
            case HELLO:
                Hello.decode(reader.wrap(buffer, offset, limit));
                records = 1;
                break;
            case WELCOME:
                Welcome.decode(reader.wrap(buffer, offset, limit));
                records = 1;
                break;
            case NACK:
                Nack.decode(reader.wrap(buffer, offset, limit));
                records = 1;
                break;
            case MODEL_EVENT:
                ModelEvent.decode(reader.wrap(buffer, offset, limit));
                records = 1;
                break;
            case COMMAND:
                Command.decode(reader.wrap(buffer, offset, limit));
                records = 1;
                break;
            case COMMAND_RESULT:
                CommandResult.decode(reader.wrap(buffer, offset, limit));
                records = 1;
                break;
            default:
                throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "no decoder for " + type);
        }
        return records;
    }
}
