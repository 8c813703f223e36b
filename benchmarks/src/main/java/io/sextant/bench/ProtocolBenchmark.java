package io.sextant.bench;

import io.sextant.protocol.BufferSlice;
import io.sextant.protocol.Frame;
import io.sextant.protocol.FrameChecksum;
import io.sextant.protocol.FrameWriter;
import io.sextant.protocol.InferenceDecoder;
import io.sextant.protocol.InferenceEncoder;
import io.sextant.protocol.MetricsDecoder;
import io.sextant.protocol.MetricsEncoder;
import io.sextant.protocol.PairCursor;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Encode and decode cost of the two high-volume agent messages, on off-heap buffers as the agent
 * and a Netty collector use them:
 *
 * <ul>
 *   <li>a METRICS frame of 64 steady JVM samples ({@link JvmMetricsBatch});</li>
 *   <li>an INFERENCE frame of 16 records with 8 numeric features each ({@link InferenceBatch}).</li>
 * </ul>
 *
 * Encoding includes the frame header and CRC32C; decoding includes full header validation (CRC
 * included) and reading every field. Run with {@code -prof gc}: every benchmark must allocate
 * 0 B/op. Bytes on the wire per metric sample are printed when a fork starts and reported by
 * {@link MicroSummary} as {@code wire_bytes_per_sample}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class ProtocolBenchmark
{
    /** Per-thread codec state, as the agent's sender thread and a collector event loop own it. */
    @State(Scope.Thread)
    public static class Codec
    {
        final JvmMetricsBatch metricsBatch = new JvmMetricsBatch();
        final InferenceBatch inferenceBatch = new InferenceBatch();
        final FrameWriter frames = new FrameWriter();
        final MetricsEncoder metricsEncoder = new MetricsEncoder();
        final InferenceEncoder inferenceEncoder = new InferenceEncoder();
        final MetricsDecoder metricsDecoder = new MetricsDecoder();
        final InferenceDecoder inferenceDecoder = new InferenceDecoder();
        final FrameChecksum checksum = new FrameChecksum();
        final UnsafeBuffer encodeBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
        /** Every tick's frame, back to back in one off-heap buffer as in a receive buffer or journal. */
        UnsafeBuffer metricsFrames;
        final int[] metricsOffsets = new int[JvmMetricsBatch.TICKS];
        final int[] metricsLengths = new int[JvmMetricsBatch.TICKS];
        UnsafeBuffer inferenceFrame;
        int inferenceLength;
        int tick;
        long sequence;

        @Setup(Level.Trial)
        public void encodeInputs()
        {
            metricsFrames = new UnsafeBuffer(ByteBuffer.allocateDirect(JvmMetricsBatch.TICKS * 4096));
            int offset = 0;
            long bytes = 0;
            for (int t = 0; t < JvmMetricsBatch.TICKS; t++)
            {
                metricsLengths[t] = metricsBatch.encode(frames, metricsEncoder, encodeBuffer, t, t + 1);
                metricsOffsets[t] = offset;
                metricsFrames.putBytes(offset, encodeBuffer, 0, metricsLengths[t]);
                offset += metricsLengths[t];
                bytes += metricsLengths[t];
            }
            System.out.printf("METRICS frame: %.2f bytes on the wire per sample (%d samples per frame)%n",
                (double)bytes / (JvmMetricsBatch.TICKS * JvmMetricsBatch.SAMPLES), JvmMetricsBatch.SAMPLES);
            inferenceLength = inferenceBatch.encode(frames, inferenceEncoder, encodeBuffer, 1);
            inferenceFrame = copy(encodeBuffer, inferenceLength);
        }

        private static UnsafeBuffer copy(final UnsafeBuffer source, final int length)
        {
            final UnsafeBuffer copy = new UnsafeBuffer(ByteBuffer.allocateDirect(length));
            copy.putBytes(0, source, 0, length);
            return copy;
        }

        int nextTick()
        {
            tick = (tick + 1) & (JvmMetricsBatch.TICKS - 1);
            return tick;
        }
    }

    @Benchmark
    public int encodeMetrics64(final Codec codec)
    {
        return codec.metricsBatch.encode(codec.frames, codec.metricsEncoder, codec.encodeBuffer, codec.nextTick(),
            ++codec.sequence);
    }

    @Benchmark
    public void decodeMetrics64(final Codec codec, final Blackhole blackhole)
    {
        final int tick = codec.nextTick();
        final UnsafeBuffer frames = codec.metricsFrames;
        final int offset = codec.metricsOffsets[tick];
        final int length = codec.metricsLengths[tick];
        blackhole.consume(Frame.validate(frames, offset, length, Frame.DEFAULT_MAX_FRAME_LENGTH, codec.checksum));
        final MetricsDecoder decoder = codec.metricsDecoder.wrap(frames, offset + Frame.HEADER_LENGTH, offset + length);
        while (decoder.next())
        {
            blackhole.consume(decoder.seriesId());
            blackhole.consume(decoder.timeMillis());
            blackhole.consume(decoder.value());
        }
    }

    @Benchmark
    public int encodeInference16(final Codec codec)
    {
        return codec.inferenceBatch.encode(codec.frames, codec.inferenceEncoder, codec.encodeBuffer, ++codec.sequence);
    }

    @Benchmark
    public void decodeInference16(final Codec codec, final Blackhole blackhole)
    {
        final UnsafeBuffer frame = codec.inferenceFrame;
        final int length = codec.inferenceLength;
        blackhole.consume(Frame.validate(frame, 0, length, Frame.DEFAULT_MAX_FRAME_LENGTH, codec.checksum));
        final InferenceDecoder decoder = codec.inferenceDecoder.wrap(frame, Frame.HEADER_LENGTH, length);
        while (decoder.next())
        {
            blackhole.consume(decoder.timeNanos());
            blackhole.consume(decoder.latencyNanos());
            blackhole.consume(decoder.score());
            consume(blackhole, decoder.model());
            consume(blackhole, decoder.predictedClass());
            consume(blackhole, decoder.predictionId());
            final PairCursor features = decoder.numericFeatures();
            while (features.next())
            {
                consume(blackhole, features.key());
                blackhole.consume(features.number());
            }
        }
    }

    private static void consume(final Blackhole blackhole, final BufferSlice slice)
    {
        blackhole.consume(slice.offset());
        blackhole.consume(slice.byteLength());
    }
}
