package io.sextant.collector.store;

import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Writes a histogram in HdrHistogram's compressed encoding (what
 * {@link Histogram#decodeFromCompressedByteBuffer} reads) with one reused {@link Deflater} and reused
 * buffers. {@code Histogram.encodeIntoCompressedByteBuffer} builds a new {@code Deflater} (native zlib
 * state of a few hundred kilobytes) on every call and an intermediate buffer the size of the whole counts
 * array on every new histogram; the store tailer compresses one histogram per inference frame per model,
 * hundreds per second under load, so those allocations were a fifth of its time.
 *
 * <p>The bytes are the library's own: the same cookie (read once from the library), the same
 * uncompressed encoding, deflated at the same default level.
 *
 * <p>Threads: one instance per thread ({@link #forThread()}).
 */
final class HistogramCompressor
{
    private static final ThreadLocal<HistogramCompressor> PER_THREAD = ThreadLocal.withInitial(HistogramCompressor::new);
    private static final int COOKIE = libraryCookie();
    private static final int HEADER = 8;

    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    private ByteBuffer uncompressed = ByteBuffer.allocate(4096).order(ByteOrder.BIG_ENDIAN);
    private byte[] out = new byte[4096];

    private HistogramCompressor()
    {
    }

    /**
     * @return this thread's compressor.
     */
    static HistogramCompressor forThread()
    {
        return PER_THREAD.get();
    }

    /**
     * @param histogram the histogram.
     * @return its compressed encoding, in an array of exactly its length.
     */
    byte[] compress(final Histogram histogram)
    {
        final int needed = histogram.getNeededByteBufferCapacity();
        if (uncompressed.capacity() < needed)
        {
            uncompressed = ByteBuffer.allocate(Math.max(needed, 2 * uncompressed.capacity())).order(ByteOrder.BIG_ENDIAN);
        }
        uncompressed.clear();
        final int length = histogram.encodeIntoByteBuffer(uncompressed);
        deflater.reset();
        deflater.setInput(uncompressed.array(), 0, length);
        deflater.finish();
        int written = 0;
        while (true)
        {
            written += deflater.deflate(out, HEADER + written, out.length - HEADER - written);
            if (deflater.finished())
            {
                break;
            }
            out = Arrays.copyOf(out, 2 * out.length);
        }
        final ByteBuffer header = ByteBuffer.wrap(out, 0, HEADER).order(ByteOrder.BIG_ENDIAN);
        header.putInt(COOKIE).putInt(written);
        return Arrays.copyOf(out, HEADER + written);
    }

    /** The cookie the library writes first in a compressed encoding (it depends on the library's version). */
    private static int libraryCookie()
    {
        final Histogram probe = new Histogram(1, 2, 0);
        final ByteBuffer b = ByteBuffer.allocate(probe.getNeededByteBufferCapacity() + 64);
        probe.encodeIntoCompressedByteBuffer(b);
        return b.getInt(0);
    }
}
