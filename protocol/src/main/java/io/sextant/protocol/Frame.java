package io.sextant.protocol;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Frame header layout and header validation. Every frame starts with this 24-byte header,
 * little-endian:
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Frame Length (int32)                      |  0
 *  +---------------------------------------------------------------+
 *  |            CRC32C of bytes [8, Frame Length) (int32)          |  4
 *  +-------------------------------+---------------+---------------+
 *  |        Magic 0x5853 ("SX")    |    Version    |     Type      |  8
 *  +-------------------------------+---------------+---------------+
 *  |           Flags               |          Reserved (0)         | 12
 *  +-------------------------------+-------------------------------+
 *  |                     Sequence Number (int64)                   | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                       Payload ...                             | 24
 * </pre>
 */
public final class Frame
{
    /** Byte order of every fixed-width field on the wire. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    public static final int LENGTH_OFFSET = 0;
    public static final int CRC_OFFSET = 4;
    public static final int MAGIC_OFFSET = 8;
    public static final int VERSION_OFFSET = 10;
    public static final int TYPE_OFFSET = 11;
    public static final int FLAGS_OFFSET = 12;
    public static final int RESERVED_OFFSET = 14;
    public static final int SEQUENCE_OFFSET = 16;
    public static final int HEADER_LENGTH = 24;

    /** First byte covered by the CRC. */
    public static final int CRC_START = MAGIC_OFFSET;

    /** "SX": bytes 0x53 0x58 on the wire, 0x5853 read as a little-endian short. */
    public static final short MAGIC = 0x5853;
    /** The protocol version this code writes and reads. */
    public static final int VERSION = 1;

    /** Flag: this frame is a retransmission of one sent on an earlier connection. */
    public static final int FLAG_RESEND = 0x1;

    /** Default and recommended maximum frame length, header included: 1 MiB. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 1 << 20;
    /** No receiver accepts frames longer than this, whatever it negotiates: 16 MiB. */
    public static final int ABSOLUTE_MAX_FRAME_LENGTH = 1 << 24;
    /** Bytes a header prefix needs before length, magic and version can be checked. */
    public static final int PREFIX_LENGTH = TYPE_OFFSET + 1;

    private Frame()
    {
    }

    public static int length(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + LENGTH_OFFSET, BYTE_ORDER);
    }

    public static int crc(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + CRC_OFFSET, BYTE_ORDER);
    }

    public static int typeCode(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    public static MessageType type(final DirectBuffer buffer, final int offset)
    {
        return MessageType.of(typeCode(buffer, offset));
    }

    public static int flags(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + FLAGS_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    public static long sequence(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SEQUENCE_OFFSET, BYTE_ORDER);
    }

    /**
     * Checks what can be checked from the first {@link #PREFIX_LENGTH} bytes: the length is within
     * bounds, the magic matches and the version is known. Lets a stream decoder fail fast before
     * the rest of a bad frame arrives.
     *
     * @param length         the frame length field.
     * @param magic          the magic field.
     * @param version        the version field.
     * @param maxFrameLength the receiver's limit.
     * @throws ProtocolException naming what was wrong.
     */
    public static void checkPrefix(final int length, final short magic, final int version, final int maxFrameLength)
    {
        if (magic != MAGIC)
        {
            throw new ProtocolException(ErrorCode.BAD_MAGIC, String.format(
                "bad magic 0x%04x, expected 0x%04x (\"SX\"): the peer does not speak the Sextant protocol",
                magic & 0xFFFF, MAGIC));
        }
        if (version != VERSION)
        {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION,
                "unsupported protocol version " + version + ", this receiver speaks version " + VERSION);
        }
        if (length < HEADER_LENGTH)
        {
            throw new ProtocolException(ErrorCode.MALFORMED,
                "frame length " + length + " is shorter than the " + HEADER_LENGTH + "-byte header");
        }
        if (length > maxFrameLength)
        {
            throw new ProtocolException(ErrorCode.FRAME_TOO_LARGE,
                "frame length " + length + " exceeds the maximum of " + maxFrameLength + " bytes");
        }
    }

    /**
     * Fully validates the header of a complete frame: prefix, CRC, known type, sequence rules.
     *
     * @param buffer         holding the frame.
     * @param offset         of the frame's first byte.
     * @param available      bytes available from offset; must be at least the frame length.
     * @param maxFrameLength the receiver's limit.
     * @param checksum       a checksum instance owned by the calling thread.
     * @return the validated message type.
     * @throws ProtocolException naming what was wrong.
     */
    public static MessageType validate(
        final DirectBuffer buffer, final int offset, final int available, final int maxFrameLength,
        final FrameChecksum checksum)
    {
        if (available < PREFIX_LENGTH)
        {
            throw new ProtocolException(ErrorCode.MALFORMED,
                "truncated frame: " + available + " bytes, a header needs " + HEADER_LENGTH);
        }
        final int length = length(buffer, offset);
        checkPrefix(length, buffer.getShort(offset + MAGIC_OFFSET, BYTE_ORDER),
            buffer.getByte(offset + VERSION_OFFSET) & 0xFF, maxFrameLength);
        if (available < length)
        {
            throw new ProtocolException(ErrorCode.MALFORMED,
                "truncated frame: length field says " + length + " bytes, only " + available + " present");
        }
        final int expected = crc(buffer, offset);
        final int actual = checksum.compute(buffer, offset + CRC_START, length - CRC_START);
        if (expected != actual)
        {
            throw new ProtocolException(ErrorCode.CRC_MISMATCH, String.format(
                "CRC32C mismatch: header says 0x%08x, contents give 0x%08x", expected, actual));
        }
        final int typeCode = typeCode(buffer, offset);
        final MessageType type = MessageType.of(typeCode);
        if (type == null)
        {
            throw new ProtocolException(ErrorCode.UNKNOWN_TYPE,
                "unknown message type " + typeCode + " (version " + VERSION + " knows 1.." +
                MessageType.values().length + ")");
        }
        final long sequence = sequence(buffer, offset);
        if (type.isSequenced() ? sequence <= 0 : sequence != 0)
        {
            throw new ProtocolException(ErrorCode.MALFORMED, type + " frame with sequence " + sequence +
                (type.isSequenced() ? ": sequenced frames number from 1" : ": must be 0 for this type"));
        }
        return type;
    }
}
