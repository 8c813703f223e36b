package io.sextant.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sextant.protocol.netty.ByteBufView;
import io.sextant.protocol.netty.FrameDecoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Coverage-guided fuzzing of everything that reads untrusted bytes. Each input is used three ways:
 *
 * <ol>
 *   <li>as a raw byte stream into {@link FrameDecoder} (in two chunks) and into
 *       {@link Frame#validate};</li>
 *   <li>as {@code type, sequence, payload...}: wrapped in a header with a correct length and
 *       CRC32C, so that the fuzzer gets past the checksum into {@link PayloadValidator} and every
 *       payload decoder, both directly and through the stream decoder; METRICS payloads are also
 *       decoded by a plain field-by-field reference decoder, which must agree exactly.</li>
 * </ol>
 *
 * The only acceptable failure is a {@link ProtocolException}; anything else (an index, arithmetic
 * or state exception, a wrapped DecoderException) is a finding, and so is a buffer left with a
 * reference after the channel is closed.
 *
 * <p>{@code mvn verify} runs the seeds in {@code FrameFuzzTestInputs} as a regression test; the
 * {@code fuzz} execution in this module's pom runs the fuzzer itself (JAZZER_FUZZ=1) for 30 s.
 */
class FrameFuzzTest
{
    private static final int MAX_FRAME_LENGTH = 1 << 16;

    private final FrameChecksum checksum = new FrameChecksum();
    private final PayloadValidator validator = new PayloadValidator();
    private final MetricsDecoder metrics = new MetricsDecoder();
    private final FrameWriter writer = new FrameWriter();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[MAX_FRAME_LENGTH + Frame.HEADER_LENGTH]);

    @FuzzTest(maxDuration = "30s")
    void decodersRefuseAnyInputOnlyWithProtocolException(final byte[] data)
    {
        validateDirectly(new UnsafeBuffer(data), data.length);
        decodeStream(data, data.length / 2);

        if (data.length >= 2)
        {
            final int length = frameAround(data);
            validateDirectly(scratch, length);
            if (Frame.typeCode(scratch, 0) == MessageType.METRICS.code())
            {
                metricsDecoderAgreesWithReference(length);
            }
            final byte[] frame = new byte[length];
            scratch.getBytes(0, frame);
            decodeStream(frame, (data[1] & 0xFF) % (length + 1));
        }
    }

    /** The METRICS decoder's fast paths must give exactly what a plain field-by-field decoder gives. */
    private void metricsDecoderAgreesWithReference(final int length)
    {
        final ReferenceMetricsDecoder.Outcome expected =
            ReferenceMetricsDecoder.decode(scratch, Frame.HEADER_LENGTH, length);
        final ReferenceMetricsDecoder.Outcome actual =
            ReferenceMetricsDecoder.decodeWith(metrics, scratch, Frame.HEADER_LENGTH, length);
        if (!expected.equals(actual))
        {
            throw new IllegalStateException("MetricsDecoder gave " + actual + ", the reference " + expected);
        }
    }

    /** Writes a header with a correct length and CRC around data[2..]; type and sequence from data[0..1]. */
    private int frameAround(final byte[] data)
    {
        final int typeCode = (data[0] & 0xFF) % 16;
        final MessageType type = MessageType.of(typeCode);
        final WireWriter payload = writer.begin(scratch, 0, scratch.capacity(),
            type == null ? MessageType.HEARTBEAT : type, data[1]);
        scratch.putBytes(payload.position(), data, 2, data.length - 2);
        payload.position(payload.position() + data.length - 2);
        scratch.putByte(Frame.TYPE_OFFSET, (byte)typeCode);
        return writer.finish();
    }

    private void validateDirectly(final UnsafeBuffer buffer, final int length)
    {
        try
        {
            final MessageType type = Frame.validate(buffer, 0, length, MAX_FRAME_LENGTH, checksum);
            validator.validate(type, buffer, Frame.HEADER_LENGTH, Frame.length(buffer, 0));
        }
        catch (final ProtocolException expected)
        {
            checkException(expected);
        }
    }

    private void decodeStream(final byte[] bytes, final int split)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME_LENGTH));
        // Copies, not wrappers: Unpooled.wrappedBuffer returns the shared EMPTY_BUFFER for an empty
        // region, whose reference count never drops, which would hide a real leak check.
        final ByteBuf first = Unpooled.buffer(split).writeBytes(bytes, 0, split);
        final ByteBuf second = Unpooled.directBuffer(bytes.length - split).writeBytes(bytes, split, bytes.length - split);
        try
        {
            write(channel, first);
            write(channel, second);
        }
        finally
        {
            channel.finishAndReleaseAll();
        }
        if (first.refCnt() != 0 || second.refCnt() != 0)
        {
            throw new IllegalStateException("FrameDecoder did not release its input: refCnt " + first.refCnt() +
                ", " + second.refCnt());
        }
    }

    private void write(final EmbeddedChannel channel, final ByteBuf input)
    {
        if (!channel.isOpen())
        {
            input.release();
            return;
        }
        try
        {
            channel.writeInbound(input);
        }
        catch (final ProtocolException expected)
        {
            checkException(expected);
        }
        ByteBuf frame;
        final ByteBufView view = new ByteBufView();
        while ((frame = channel.readInbound()) != null)
        {
            try
            {
                final int length = frame.readableBytes();
                validateDirectly((UnsafeBuffer)view.wrap(frame), length);
            }
            finally
            {
                frame.release();
            }
        }
    }

    private static void checkException(final ProtocolException ex)
    {
        if (ex.code() == null || ex.getMessage() == null || ex.getMessage().isEmpty())
        {
            throw new IllegalStateException("ProtocolException without a code or message", ex);
        }
    }
}
