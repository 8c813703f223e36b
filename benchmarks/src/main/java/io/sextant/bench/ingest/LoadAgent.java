package io.sextant.bench.ingest;

import io.sextant.protocol.Ack;
import io.sextant.protocol.DefineEncoder;
import io.sextant.protocol.Frame;
import io.sextant.protocol.FrameWriter;
import io.sextant.protocol.Hello;
import io.sextant.protocol.MessageType;
import io.sextant.protocol.MetricsEncoder;
import io.sextant.protocol.Nack;
import io.sextant.protocol.SeriesKind;
import io.sextant.protocol.WireReader;
import io.sextant.protocol.WireWriter;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongConsumer;

/**
 * One simulated agent for the harness: a blocking socket, frames written with the protocol's own
 * encoders, and a reader thread that follows the collector's cumulative ACKs. It keeps the send time
 * of each frame in flight, so every ACK yields the acknowledgement latency of the frames it covers.
 *
 * <p>The series are shaped like an agent's JVM gauges and counters ({@link FrameSource}).
 */
final class LoadAgent implements AutoCloseable
{
    private static final int IN_FLIGHT_SLOTS = 1 << 12;

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 20]);
    private final FrameWriter writer = new FrameWriter();
    private final FrameSource source;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLongArray sentAt = new AtomicLongArray(IN_FLIGHT_SLOTS);
    private final Thread reader;
    private volatile LongConsumer ackLatencyNanos = n -> { };
    private long sequence;

    LoadAgent(final int port, final String service, final int series, final long startMillis) throws IOException
    {
        this.source = new FrameSource(series, startMillis);
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        final UUID id = UUID.randomUUID();
        WireWriter w = writer.begin(buffer, 0, buffer.capacity(), MessageType.HELLO, 0);
        new Hello(id, 1, ProcessHandle.current().pid(), System.currentTimeMillis(), Hello.CAP_METRICS, service,
            "bench-host", "bench", "bench", "", Map.of()).encode(w);
        send(writer.finish());
        final byte[] frame = readFrame();
        final UnsafeBuffer b = new UnsafeBuffer(frame);
        if (Frame.type(b, 0) != MessageType.WELCOME)
        {
            throw new IOException("expected WELCOME, got " + Frame.type(b, 0) +
                (Frame.type(b, 0) == MessageType.NACK ?
                ": " + Nack.decode(new WireReader().wrap(b, Frame.HEADER_LENGTH, frame.length)) : ""));
        }
        for (int s = 0; s < series; s++)
        {
            w = writer.begin(buffer, 0, buffer.capacity(), MessageType.DEFINE, 0);
            final DefineEncoder e = new DefineEncoder().wrap(w);
            final boolean counter = s % 4 == 0;
            e.series(s, counter ? SeriesKind.COUNTER : SeriesKind.GAUGE, counter ? "bench.events" : "bench.gauge",
                counter ? "1" : "By", new CharSequence[] {"n"}, new CharSequence[] {Integer.toString(s)}, 1);
            e.finish();
            send(writer.finish());
        }
        reader = new Thread(this::readAcks, "load-agent-acks-" + service);
        reader.setDaemon(true);
        reader.start();
    }

    void ackLatency(final LongConsumer consumer)
    {
        this.ackLatencyNanos = consumer;
    }

    long sent()
    {
        return sequence;
    }

    long acked()
    {
        return acked.get();
    }

    long eventTimeMillis()
    {
        return source.eventTimeMillis;
    }

    /**
     * Encodes and sends the next frame of {@code samples} samples (the next series in turn, one round
     * of all series per second of event time).
     */
    void sendNext(final int samples) throws IOException
    {
        sendNext(samples, -1, 1.0);
    }

    /**
     * Sends one round of all series in which series {@code spiked} is {@code factor} times its level.
     */
    void sendSpike(final int spiked, final double factor) throws IOException
    {
        sendNext(source.series, spiked, factor);
    }

    private void sendNext(final int samples, final int spiked, final double factor) throws IOException
    {
        final long seq = ++sequence;
        final int length = source.encode(writer, buffer, seq, samples, spiked, factor);
        sentAt.set((int)(seq & (IN_FLIGHT_SLOTS - 1)), System.nanoTime());
        send(length);
    }

    /**
     * @return a source of encoded METRICS frames with the same content the agents send, for the raw
     *         journal reference.
     */
    static FrameSource frameSource(final int series, final int samplesPerFrame)
    {
        return new FrameSource(series, System.currentTimeMillis(), samplesPerFrame);
    }

    /**
     * The series' values and the encoding of METRICS frames: gauges that hold their value most
     * intervals and step now and then (like heap or thread counts), counters that grow by small
     * integers; one round of all series per second of event time.
     */
    static final class FrameSource
    {
        private final int series;
        private final double[] values;
        private final long[] counters;
        private final MetricsEncoder metrics = new MetricsEncoder();
        private final FrameWriter ownWriter = new FrameWriter();
        private final UnsafeBuffer ownBuffer = new UnsafeBuffer(new byte[1 << 20]);
        private final int samplesPerFrame;
        private long eventTimeMillis;
        private int cursor;
        private long sequence;
        private int lastLength;

        FrameSource(final int series, final long startMillis)
        {
            this(series, startMillis, 0);
        }

        FrameSource(final int series, final long startMillis, final int samplesPerFrame)
        {
            this.series = series;
            this.values = new double[series];
            this.counters = new long[series];
            this.eventTimeMillis = startMillis;
            this.samplesPerFrame = samplesPerFrame;
            for (int s = 0; s < series; s++)
            {
                values[s] = 64 * 1024 * 1024 + s * 4096;
            }
        }

        /**
         * @return a copy of the next frame.
         */
        byte[] next()
        {
            lastLength = encode(ownWriter, ownBuffer, ++sequence, samplesPerFrame, -1, 1.0);
            final byte[] copy = new byte[lastLength];
            ownBuffer.getBytes(0, copy);
            return copy;
        }

        int lastLength()
        {
            return lastLength;
        }

        int encode(final FrameWriter writer, final UnsafeBuffer buffer, final long seq, final int samples,
            final int spiked, final double factor)
        {
            final WireWriter w = writer.begin(buffer, 0, buffer.capacity(), MessageType.METRICS, seq);
            metrics.wrap(w, eventTimeMillis);
            for (int i = 0; i < samples; i++)
            {
                final int s = cursor;
                final double v = next(s);
                metrics.sample(s, eventTimeMillis, s == spiked ? v * factor : v);
                if (++cursor == series)
                {
                    cursor = 0;
                    eventTimeMillis += 1000;
                }
            }
            metrics.finish();
            return writer.finish();
        }

        private double next(final int s)
        {
            if (s % 4 == 0)
            {
                counters[s] += (s * 31 + eventTimeMillis / 1000) % 7;
                return counters[s];
            }
            if (((eventTimeMillis / 1000) + s) % 5 == 0)
            {
                values[s] += (s % 3 == 0 ? -1 : 1) * 262_144;
            }
            return values[s];
        }
    }

    /**
     * @return true when fewer than {@code window} frames are unacknowledged.
     */
    boolean canSend(final int window)
    {
        return sequence - acked.get() < Math.min(window, IN_FLIGHT_SLOTS);
    }

    private void send(final int length) throws IOException
    {
        out.write(buffer.byteArray(), 0, length);
    }

    private byte[] readFrame() throws IOException
    {
        final byte[] header = new byte[Frame.HEADER_LENGTH];
        in.readFully(header);
        final int length = Frame.length(new UnsafeBuffer(header), 0);
        final byte[] frame = new byte[length];
        System.arraycopy(header, 0, frame, 0, header.length);
        in.readFully(frame, header.length, length - header.length);
        return frame;
    }

    private void readAcks()
    {
        final WireReader r = new WireReader();
        try
        {
            while (true)
            {
                final byte[] frame = readFrame();
                final UnsafeBuffer b = new UnsafeBuffer(frame);
                if (Frame.type(b, 0) != MessageType.ACK)
                {
                    continue;
                }
                final long upTo = Ack.decode(r.wrap(b, Frame.HEADER_LENGTH, frame.length));
                final long now = System.nanoTime();
                final LongConsumer latency = ackLatencyNanos;
                for (long s = acked.get() + 1; s <= upTo; s++)
                {
                    latency.accept(now - sentAt.get((int)(s & (IN_FLIGHT_SLOTS - 1))));
                }
                if (upTo > acked.get())
                {
                    acked.set(upTo);
                }
            }
        }
        catch (final IOException closed)
        {
            // connection closed: the harness is done with this agent
        }
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
