package io.sextant.protocol.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.sextant.protocol.ErrorCode;
import io.sextant.protocol.Frame;
import io.sextant.protocol.MessageType;
import io.sextant.protocol.ProtocolException;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Splits a byte stream into Sextant frames and checks each frame's header and CRC32C. Emits each
 * valid frame as a retained slice ({@code ByteBuf}) that the next handler must release.
 *
 * <p>Fails fast: a bad magic, unknown version or over-long length is refused as soon as the first
 * 12 bytes arrive, before the rest of the frame is buffered. On the first error the decoder fires
 * a {@link ProtocolException} through {@code exceptionCaught} (the connection's handler answers
 * with a NACK and closes) and discards everything after it on this connection. Frames decoded
 * before the error have already been passed on and are unaffected.
 *
 * <p>Not sharable: one instance per channel.
 */
public final class FrameDecoder extends ByteToMessageDecoder
{
    private final int maxFrameLength;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer scratch;
    private boolean failed;

    /**
     * @param maxFrameLength the largest frame accepted, header included; at most
     *                       {@link Frame#ABSOLUTE_MAX_FRAME_LENGTH}.
     */
    public FrameDecoder(final int maxFrameLength)
    {
        if (maxFrameLength < Frame.HEADER_LENGTH || maxFrameLength > Frame.ABSOLUTE_MAX_FRAME_LENGTH)
        {
            throw new IllegalArgumentException("maxFrameLength must be in [" + Frame.HEADER_LENGTH + ", " +
                Frame.ABSOLUTE_MAX_FRAME_LENGTH + "], was " + maxFrameLength);
        }
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        if (failed)
        {
            in.skipBytes(in.readableBytes());
            return;
        }
        final int readable = in.readableBytes();
        if (readable < Frame.PREFIX_LENGTH)
        {
            return;
        }
        final int start = in.readerIndex();
        final int length = in.getIntLE(start + Frame.LENGTH_OFFSET);
        try
        {
            Frame.checkPrefix(length, in.getShortLE(start + Frame.MAGIC_OFFSET),
                in.getUnsignedByte(start + Frame.VERSION_OFFSET), maxFrameLength);
            if (readable < length)
            {
                return;
            }
            final int expected = in.getIntLE(start + Frame.CRC_OFFSET);
            final int actual = crc32c(in, start + Frame.CRC_START, length - Frame.CRC_START);
            if (expected != actual)
            {
                throw new ProtocolException(ErrorCode.CRC_MISMATCH, String.format(
                    "CRC32C mismatch: header says 0x%08x, contents give 0x%08x", expected, actual));
            }
            final int typeCode = in.getUnsignedByte(start + Frame.TYPE_OFFSET);
            final MessageType type = MessageType.of(typeCode);
            if (type == null)
            {
                throw new ProtocolException(ErrorCode.UNKNOWN_TYPE,
                    "unknown message type " + typeCode + " in frame with sequence " +
                    in.getLongLE(start + Frame.SEQUENCE_OFFSET));
            }
            final long sequence = in.getLongLE(start + Frame.SEQUENCE_OFFSET);
            if (type.isSequenced() ? sequence <= 0 : sequence != 0)
            {
                throw new ProtocolException(ErrorCode.MALFORMED, type + " frame with sequence " + sequence +
                    (type.isSequenced() ? ": sequenced frames number from 1" : ": must be 0 for this type"));
            }
            out.add(in.readRetainedSlice(length));
        }
        catch (final ProtocolException ex)
        {
            failed = true;
            in.skipBytes(in.readableBytes());
            ctx.fireExceptionCaught(ex);
        }
    }

    private int crc32c(final ByteBuf in, final int index, final int length)
    {
        crc.reset();
        if (in.hasArray())
        {
            crc.update(in.array(), in.arrayOffset() + index, length);
        }
        else if (in.nioBufferCount() == 1)
        {
            crc.update(in.internalNioBuffer(index, length));
        }
        else
        {
            if (scratch == null || scratch.capacity() < length)
            {
                scratch = ByteBuffer.allocateDirect(Math.max(length, 4096));
            }
            scratch.clear().limit(length);
            in.getBytes(index, scratch);
            scratch.flip();
            crc.update(scratch);
        }
        return (int)crc.getValue();
    }

    /**
     * @return true once the decoder has refused input on this channel.
     */
    public boolean hasFailed()
    {
        return failed;
    }
}
