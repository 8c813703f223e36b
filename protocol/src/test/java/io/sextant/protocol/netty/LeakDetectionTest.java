package io.sextant.protocol.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sextant.protocol.Ack;
import io.sextant.protocol.Frame;
import io.sextant.protocol.MessageType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that the leak check the other tests rely on works: a buffer that is never released is
 * reported, and would fail the test that leaked it.
 */
class LeakDetectionTest
{
    @Test
    void isInstalledBeforeAnyBufferIsAllocated()
    {
        assertThat(LeakDetection.isActive()).isTrue();
    }

    @Test
    void detectsABufferThatWasNeverReleased()
    {
        final String hint = "deliberate-leak-" + System.nanoTime();
        leak(hint);

        final List<String> leaks = LeakDetection.collect();

        assertThat(leaks).hasSize(1);
        assertThat(leaks.get(0)).contains(hint).contains("detectsABufferThatWasNeverReleased");
    }

    @Test
    void detectsAFrameThatItsConsumerForgotToRelease()
    {
        final ByteBufFrames frames = new ByteBufFrames(256);
        Ack.encode(frames.begin(MessageType.ACK, 0), 9);
        final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(Frame.DEFAULT_MAX_FRAME_LENGTH));
        channel.writeInbound(frames.finish(PooledByteBufAllocator.DEFAULT));
        forget(channel.readInbound());
        channel.finishAndReleaseAll();

        final List<String> leaks = LeakDetection.collect();

        // Both the frame slice and the input buffer it keeps alive are reported.
        assertThat(leaks).isNotEmpty().anySatisfy(leak ->
            assertThat(leak).contains("Caller of readInbound()", "detectsAFrameThatItsConsumerForgotToRelease"));
    }

    @Test
    void reportsNothingWhenEveryBufferIsReleased()
    {
        final ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64).writeLong(1);
        buf.release();

        assertThat(LeakDetection.collect()).isEmpty();
    }

    private static void leak(final String hint)
    {
        PooledByteBufAllocator.DEFAULT.heapBuffer(32).writeInt(7).touch(hint);
    }

    private static void forget(final Object frame)
    {
        assertThat(frame).isInstanceOf(ByteBuf.class);
    }
}
