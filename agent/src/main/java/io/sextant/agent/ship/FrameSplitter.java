package io.sextant.agent.ship;

import io.sextant.protocol.Frame;
import io.sextant.protocol.FrameWriter;
import io.sextant.protocol.InferenceDecoder;
import io.sextant.protocol.LabelsDecoder;
import io.sextant.protocol.LogsDecoder;
import io.sextant.protocol.MessageType;
import io.sextant.protocol.MetricsDecoder;
import io.sextant.protocol.ProtocolException;
import io.sextant.protocol.WireWriter;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Cuts a batch frame (METRICS, LOGS, INFERENCE or LABELS) into frames no longer than the
 * collector's {@code maxFrameLength} from WELCOME, at record boundaries. Every batch payload is a
 * base time, a {@code uint16} count and self-contained records whose times are relative to the
 * base, so each piece is the same base time, its own count and a run of the original record
 * bytes, copied unchanged. A record that alone does not fit is dropped and counted.
 *
 * <p>Used only when the collector's limit is below the frames the agent already made (a collector
 * configured with a smaller {@code max-frame-length} than the agent's {@code max-frame-size}):
 * not a hot path. Owned by the sender thread.
 */
final class FrameSplitter
{
    /** Bytes of a batch frame before its first record: header, base time, count. */
    static final int BATCH_OVERHEAD = Frame.HEADER_LENGTH + 8 + 2;

    /** Receives each piece. */
    interface Pieces
    {
        /**
         * @param frame  holding the finished piece at offset 0.
         * @param length its length.
         * @return false when the piece could not be kept (it and the rest are then lost and counted).
         */
        boolean accept(MutableDirectBuffer frame, int length);
    }

    private final MetricsDecoder metrics = new MetricsDecoder();
    private final LogsDecoder logs = new LogsDecoder();
    private final InferenceDecoder inferences = new InferenceDecoder();
    private final LabelsDecoder labels = new LabelsDecoder();
    private final FrameWriter writer = new FrameWriter();
    private final UnsafeBuffer piece;
    private long dropped;

    /**
     * @param maxFrameLength the largest frame the agent makes (pieces are never larger).
     */
    FrameSplitter(final int maxFrameLength)
    {
        piece = new UnsafeBuffer(new byte[maxFrameLength]);
    }

    /**
     * @param type a message type.
     * @return true when frames of this type are batches of records that can be split.
     */
    static boolean splittable(final MessageType type)
    {
        return type == MessageType.METRICS || type == MessageType.LOGS || type == MessageType.INFERENCE ||
            type == MessageType.LABELS;
    }

    /**
     * Splits one batch; the source's header need not be finished, only its payload.
     *
     * @param type          the batch's type (must be {@link #splittable}).
     * @param src           holding the frame.
     * @param offset        of the frame.
     * @param end           first byte past the frame's payload.
     * @param limit         largest piece.
     * @param firstSequence sequence number of the first piece; the following are numbered on.
     * @param pieces        receives each piece in order.
     * @return pieces made (and accepted).
     */
    int split(final MessageType type, final DirectBuffer src, final int offset, final int end, final int limit,
        final long firstSequence, final Pieces pieces)
    {
        final int payload = offset + Frame.HEADER_LENGTH;
        int made = 0;
        try
        {
            int recordStart = wrap(type, src, payload, end);
            int pieceStart = recordStart;
            int count = 0;
            while (next(type))
            {
                final int recordEnd = recordEnd(type);
                if (BATCH_OVERHEAD + recordEnd - recordStart > limit)
                {
                    if (count > 0)
                    {
                        if (!emit(type, src, payload, pieceStart, recordStart, count, limit, firstSequence + made,
                            pieces))
                        {
                            return made;
                        }
                        made++;
                    }
                    dropped++;
                    count = 0;
                    pieceStart = recordEnd;
                }
                else if (BATCH_OVERHEAD + recordEnd - pieceStart > limit)
                {
                    if (!emit(type, src, payload, pieceStart, recordStart, count, limit, firstSequence + made, pieces))
                    {
                        return made;
                    }
                    made++;
                    pieceStart = recordStart;
                    count = 1;
                }
                else
                {
                    count++;
                }
                recordStart = recordEnd;
            }
            if (count > 0 && emit(type, src, payload, pieceStart, recordStart, count, limit, firstSequence + made,
                pieces))
            {
                made++;
            }
        }
        catch (final ProtocolException ex)
        {
            dropped++;
        }
        return made;
    }

    private boolean emit(final MessageType type, final DirectBuffer src, final int payload, final int from,
        final int to, final int count, final int limit, final long sequence, final Pieces pieces)
    {
        final WireWriter out = writer.begin(piece, 0, Math.min(limit, piece.capacity()), type, sequence);
        out.putLong(src.getLong(payload, Frame.BYTE_ORDER));
        out.putShort(count);
        // The records' bytes as they are (not a length-prefixed field).
        out.buffer().putBytes(out.position(), src, from, to - from);
        out.position(out.position() + to - from);
        final int length = writer.finish();
        return pieces.accept(piece, length);
    }

    private int wrap(final MessageType type, final DirectBuffer src, final int payload, final int end)
    {
        return switch (type)
        {
            case METRICS -> metrics.wrap(src, payload, end).recordEnd();
            case LOGS -> logs.wrap(src, payload, end).recordEnd();
            case INFERENCE -> inferences.wrap(src, payload, end).recordEnd();
            case LABELS -> labels.wrap(src, payload, end).recordEnd();
            default -> throw new IllegalArgumentException(type + " frames are not batches");
        };
    }

    private boolean next(final MessageType type)
    {
        return switch (type)
        {
            case METRICS -> metrics.next();
            case LOGS -> logs.next();
            case INFERENCE -> inferences.next();
            default -> labels.next();
        };
    }

    private int recordEnd(final MessageType type)
    {
        return switch (type)
        {
            case METRICS -> metrics.recordEnd();
            case LOGS -> logs.recordEnd();
            case INFERENCE -> inferences.recordEnd();
            default -> labels.recordEnd();
        };
    }

    /**
     * @return records dropped so far because alone they exceeded the limit (or could not be decoded).
     */
    long dropped()
    {
        return dropped;
    }
}
