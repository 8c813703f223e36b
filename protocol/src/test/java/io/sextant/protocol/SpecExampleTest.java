package io.sextant.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the worked example in SPEC.md section 8 honest: the encoder must produce exactly the
 * bytes the spec prints, and the decoder must read them back.
 */
class SpecExampleTest
{
    private static final String SPEC_EXAMPLE =
        "25000000" + "4B1EAA36" + "53580107" + "00000000" + "0100000000000000" +
        "00E897B69A010000" + "0100" + "03" + "01" + "54";

    @Test
    void encoderWritesTheSpecExampleByteForByte()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final FrameWriter frames = new FrameWriter();
        final WireWriter payload = frames.begin(buffer, 0, 128, MessageType.METRICS, 1);
        final MetricsEncoder metrics = new MetricsEncoder().wrap(payload, 1_764_000_000_000L);
        assertThat(metrics.sample(3, 1_764_000_000_000L, 42.0)).isTrue();
        metrics.finish();
        final int length = frames.finish();

        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        assertThat(HexFormat.of().withUpperCase().formatHex(bytes)).isEqualTo(SPEC_EXAMPLE);
    }

    @Test
    void decoderReadsTheSpecExample()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(HexFormat.of().parseHex(SPEC_EXAMPLE));
        final MessageType type = Frame.validate(buffer, 0, buffer.capacity(), Frame.DEFAULT_MAX_FRAME_LENGTH,
            new FrameChecksum());
        assertThat(type).isEqualTo(MessageType.METRICS);
        assertThat(Frame.sequence(buffer, 0)).isEqualTo(1);

        final MetricsDecoder decoder = new MetricsDecoder().wrap(buffer, Frame.HEADER_LENGTH, buffer.capacity());
        assertThat(decoder.next()).isTrue();
        assertThat(decoder.seriesId()).isEqualTo(3);
        assertThat(decoder.timeMillis()).isEqualTo(1_764_000_000_000L);
        assertThat(decoder.encoding()).isEqualTo(ValueEncoding.INT);
        assertThat(decoder.value()).isEqualTo(42.0);
        assertThat(decoder.next()).isFalse();
    }
}
