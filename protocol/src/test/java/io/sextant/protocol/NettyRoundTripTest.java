package io.sextant.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sextant.protocol.MessageSamples.Sample;
import io.sextant.protocol.netty.ByteBufView;
import io.sextant.protocol.netty.FrameDecoder;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class NettyRoundTripTest
{
    static List<Sample> samples()
    {
        return MessageSamples.all();
    }

    static EmbeddedChannel channel()
    {
        return new EmbeddedChannel(new FrameDecoder(Frame.DEFAULT_MAX_FRAME_LENGTH));
    }

    /** Takes the next decoded frame, checks it like a receiver would, and releases it. */
    static void readAndCheck(final EmbeddedChannel channel, final Sample sample)
    {
        final ByteBuf frame = channel.readInbound();
        assertThat(frame).as("a frame of type %s", sample.type()).isNotNull();
        try
        {
            final DirectBuffer view = new ByteBufView().wrap(frame);
            final int length = frame.readableBytes();
            assertThat(TestFrames.validate(view, 0, length)).isEqualTo(sample.type());
            sample.check().check(view, Frame.HEADER_LENGTH, length);
        }
        finally
        {
            // A retained slice shares the decoder's cumulation buffer: releasing it frees memory only
            // once the decoder has let go too, so it is the leak check after each test that proves
            // the decoder handed over exactly one reference.
            frame.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void decodesFrameSplitAtEveryByteBoundary(final Sample sample)
    {
        final byte[] frame = sample.frame();
        for (int split = 1; split < frame.length; split++)
        {
            final EmbeddedChannel channel = channel();
            assertThat(channel.writeInbound(Unpooled.copiedBuffer(frame, 0, split))).isFalse();
            assertThat(channel.writeInbound(Unpooled.copiedBuffer(frame, split, frame.length - split))).isTrue();
            readAndCheck(channel, sample);
            assertThat((Object)channel.readInbound()).isNull();
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void decodesFrameArrivingOneByteAtATime(final Sample sample)
    {
        final byte[] frame = sample.frame();
        final EmbeddedChannel channel = channel();
        for (int i = 0; i < frame.length; i++)
        {
            final ByteBuf oneByte = channel.alloc().directBuffer(1).writeByte(frame[i]);
            assertThat(channel.writeInbound(oneByte)).isEqualTo(i == frame.length - 1);
        }
        readAndCheck(channel, sample);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void decodesBackToBackFramesOfEveryTypeInRandomChunks()
    {
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        final List<Sample> samples = samples();
        for (final Sample sample : samples)
        {
            stream.writeBytes(sample.frame());
        }
        final byte[] bytes = stream.toByteArray();
        final Random random = new Random(42);
        for (int round = 0; round < 50; round++)
        {
            final EmbeddedChannel channel = channel();
            int position = 0;
            while (position < bytes.length)
            {
                final int chunk = Math.min(bytes.length - position, 1 + random.nextInt(round % 2 == 0 ? 40 : 900));
                final ByteBuf buf = round % 3 == 0 ?
                    PooledByteBufAllocator.DEFAULT.directBuffer(chunk) : Unpooled.buffer(chunk);
                channel.writeInbound(buf.writeBytes(bytes, position, chunk));
                position += chunk;
            }
            for (final Sample sample : samples)
            {
                readAndCheck(channel, sample);
            }
            assertThat((Object)channel.readInbound()).isNull();
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void decodesFramesFromCompositeBuffers()
    {
        final Sample sample = MessageSamples.logs();
        final byte[] frame = sample.frame();
        final EmbeddedChannel channel = channel();
        final CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponent(true, Unpooled.copiedBuffer(frame, 0, 30));
        composite.addComponent(true, Unpooled.directBuffer(frame.length).writeBytes(frame, 30, frame.length - 30));

        assertThat(channel.writeInbound(composite)).isTrue();
        readAndCheck(channel, sample);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
