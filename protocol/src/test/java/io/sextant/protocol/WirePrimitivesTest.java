package io.sextant.protocol;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The primitives under the codecs, including their fast paths: varints decoded with and without
 * room for the longest form, short strings written in one pass, checksums over every kind of buffer.
 */
class WirePrimitivesTest
{
    @Property(tries = 2000)
    void varintsRoundTripInShortestFormWhereverTheyEndRelativeToTheLimit(
        @ForAll final long value, @ForAll @IntRange(max = 12) final int trailing)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[32]);
        java.util.Arrays.fill(buffer.byteArray(), (byte)0x5A);
        final int limit = 3 + WireWriter.varLongLength(value) + trailing;
        final WireWriter writer = new WireWriter().wrap(buffer, 3, limit);
        writer.putVarLong(value);
        for (int i = limit; i < 32; i++)
        {
            assertThat(buffer.getByte(i)).as("byte %d past the limit %d", i, limit).isEqualTo((byte)0x5A);
        }
        assertThat(buffer.getByte(2)).isEqualTo((byte)0x5A);
        final int length = writer.position() - 3;
        assertThat(length).isEqualTo(WireWriter.varLongLength(value));
        if (length > 1)
        {
            assertThat(buffer.getByte(3 + length - 1)).as("shortest form: no trailing zero group").isNotZero();
        }

        final WireReader reader = new WireReader().wrap(buffer, 3, 3 + length + trailing);
        assertThat(reader.getVarLong("v")).isEqualTo(value);
        assertThat(reader.position()).isEqualTo(3 + length);

        final WireReader truncated = new WireReader().wrap(buffer, 3, 3 + length - 1);
        assertThatThrownBy(() -> truncated.getVarLong("v")).isInstanceOf(ProtocolException.class)
            .hasMessageContaining("truncated field 'v'");
    }

    @Property(tries = 2000)
    void varintsOfEveryLengthRoundTrip(
        @ForAll @IntRange(min = 0, max = 63) final int bits, @ForAll final long noise,
        @ForAll @IntRange(max = 12) final int trailing)
    {
        final long value = bits == 63 ? noise : (noise & ((1L << bits) - 1)) | (1L << bits);
        varintsRoundTripInShortestFormWhereverTheyEndRelativeToTheLimit(value, trailing);
    }

    @Property(tries = 200)
    void zigZagRoundTrips(@ForAll final long value, @ForAll @IntRange(max = 12) final int trailing)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[32]);
        final int end = new WireWriter().wrap(buffer, 0, 32).putZigZag(value).position();

        assertThat(new WireReader().wrap(buffer, 0, end + trailing).getZigZag("z")).isEqualTo(value);
    }

    @Test
    void rejectsOverflowingVarintWithAndWithoutRoomForTheLongestForm()
    {
        final byte[] bytes = new byte[24];
        java.util.Arrays.fill(bytes, 0, 9, (byte)0xFF);
        bytes[9] = 0x03;
        for (final int limit : new int[] {10, 24})
        {
            final WireReader reader = new WireReader().wrap(new UnsafeBuffer(bytes), 0, limit);
            assertThatThrownBy(() -> reader.getVarLong("big")).isInstanceOfSatisfying(ProtocolException.class, ex ->
            {
                assertThat(ex.code()).isEqualTo(ErrorCode.MALFORMED);
                assertThat(ex.getMessage()).isEqualTo("varint field 'big' at offset 0 overflows 64 bits");
            });
        }
    }

    @Test
    void writesShortAndLongStringsWithExactLengths()
    {
        for (final String value : new String[] {"", "a", "€".repeat(42), "€".repeat(43), "x".repeat(127),
            "x".repeat(128), "\uD83D\uDE80".repeat(21), "é".repeat(5000)})
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[20_000]);
            final int end = new WireWriter().wrap(buffer, 0, buffer.capacity()).putString(value).position();
            final byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            final WireReader reader = new WireReader().wrap(buffer, 0, end);

            assertThat(reader.getVarLong("length")).isEqualTo(utf8.length);
            assertThat(end).isEqualTo(WireWriter.varLongLength(utf8.length) + utf8.length);
            assertThat(new WireReader().wrap(buffer, 0, end).getString("s")).isEqualTo(value);
        }
    }

    @Test
    void writesAShortStringThatExactlyFillsTheFrame()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final WireWriter writer = new WireWriter().wrap(buffer, 0, 7);

        writer.putString("€€"); // 6 bytes + 1 length byte: less room than the one-pass bound of 1 + 3 x 2

        assertThat(writer.position()).isEqualTo(7);
        assertThat(new WireReader().wrap(buffer, 0, 7).getString("s")).isEqualTo("€€");
        assertThatThrownBy(() -> writer.putString("a")).isInstanceOfSatisfying(ProtocolException.class,
            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
    }

    @Test
    void computesTheSameChecksumForHeapDirectAndRawBuffersAlternating()
    {
        final byte[] data = new byte[3000];
        new java.util.Random(1).nextBytes(data);
        final CRC32C reference = new CRC32C();
        reference.update(data, 100, 2000);
        final int expected = (int)reference.getValue();
        final FrameChecksum checksum = new FrameChecksum();
        final UnsafeBuffer[] direct = new UnsafeBuffer[6];
        for (int i = 0; i < direct.length; i++)
        {
            direct[i] = new UnsafeBuffer(ByteBuffer.allocateDirect(3000));
            direct[i].putBytes(0, data);
        }

        for (int round = 0; round < 3; round++)
        {
            for (final UnsafeBuffer buffer : direct)
            {
                assertThat(checksum.compute(buffer, 100, 2000)).isEqualTo(expected);
                assertThat(checksum.compute(new UnsafeBuffer(buffer, 50, 2500), 50, 2000)).isEqualTo(expected);
                assertThat(checksum.compute(new UnsafeBuffer(buffer.addressOffset(), 3000), 100, 2000))
                    .isEqualTo(expected);
            }
            assertThat(checksum.compute(new UnsafeBuffer(data), 100, 2000)).isEqualTo(expected);
            assertThat(checksum.compute(data, 100, 2000)).isEqualTo(expected);
            assertThat(checksum.compute(ByteBuffer.wrap(data, 100, 2000))).isEqualTo(expected);
        }
    }
}
