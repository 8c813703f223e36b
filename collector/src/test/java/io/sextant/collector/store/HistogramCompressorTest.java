package io.sextant.collector.store;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class HistogramCompressorTest
{
    @Test
    void writesTheLibrarysOwnBytesAndTheyDecodeToTheSameHistogram() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(7);
        final HistogramCompressor compressor = HistogramCompressor.forThread();
        for (int round = 0; round < 200; round++)
        {
            final Histogram h = round % 3 == 0 ? new Histogram(3) : new Histogram(1, 1L << (10 + round % 40), round % 4);
            h.setAutoResize(true);
            final int values = round == 0 ? 0 : random.nextInt(1, 5_000);
            for (int i = 0; i < values; i++)
            {
                h.recordValue(random.nextLong(1, 1L << (2 + round % 50)));
            }
            final ByteBuffer library = ByteBuffer.allocate(h.getNeededByteBufferCapacity() + 1024);
            final int length = h.encodeIntoCompressedByteBuffer(library);

            final byte[] ours = compressor.compress(h);

            assertThat(ours).isEqualTo(Arrays.copyOf(library.array(), length));
            final Histogram decoded = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(ours), 0);
            assertThat(decoded.getTotalCount()).isEqualTo(h.getTotalCount());
            assertThat(decoded.getMaxValue()).isEqualTo(h.getMaxValue());
            assertThat(decoded.getValueAtPercentile(99)).isEqualTo(h.getValueAtPercentile(99));
        }
    }
}
