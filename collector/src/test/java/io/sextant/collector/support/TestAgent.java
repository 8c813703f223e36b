package io.sextant.collector.support;

import io.sextant.protocol.Ack;
import io.sextant.protocol.DefineEncoder;
import io.sextant.protocol.Frame;
import io.sextant.protocol.FrameWriter;
import io.sextant.protocol.Hello;
import io.sextant.protocol.LogLevel;
import io.sextant.protocol.LogsEncoder;
import io.sextant.protocol.MessageType;
import io.sextant.protocol.MetricsEncoder;
import io.sextant.protocol.Nack;
import io.sextant.protocol.SeriesKind;
import io.sextant.protocol.Welcome;
import io.sextant.protocol.WireReader;
import io.sextant.protocol.WireWriter;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.UUID;

/**
 * A minimal agent for tests: a blocking socket, frames written with the protocol's encoders.
 */
public final class TestAgent implements AutoCloseable
{
    /** A received frame. */
    public record Received(MessageType type, long sequence, UnsafeBuffer buffer, int length)
    {
        public WireReader payload()
        {
            return new WireReader().wrap(buffer, Frame.HEADER_LENGTH, length);
        }
    }

    public final UUID agentId;
    public final long sessionId;
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 20]);
    private final FrameWriter writer = new FrameWriter();
    private long highestAck;

    public TestAgent(final int port, final UUID agentId, final long sessionId) throws IOException
    {
        this.agentId = agentId;
        this.sessionId = sessionId;
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    public long highestAck()
    {
        return highestAck;
    }

    public void hello(final String service, final String token) throws IOException
    {
        final WireWriter w = writer.begin(buffer, 0, buffer.capacity(), MessageType.HELLO, 0);
        new Hello(agentId, sessionId, 1234, System.currentTimeMillis(), Hello.CAP_METRICS | Hello.CAP_LOGS, service,
            "test-host", "test-runtime", "test", token, Map.of("env", "test")).encode(w);
        send(writer.finish());
    }

    public Welcome handshake(final String service, final String token) throws IOException
    {
        hello(service, token);
        final Received r = read();
        if (r.type() != MessageType.WELCOME)
        {
            throw new IOException("expected WELCOME, got " + r.type() + (r.type() == MessageType.NACK ?
                ": " + Nack.decode(r.payload()) : ""));
        }
        return Welcome.decode(r.payload());
    }

    public void define(final int id, final SeriesKind kind, final String name, final String unit,
        final String... labelPairs) throws IOException
    {
        final WireWriter w = writer.begin(buffer, 0, buffer.capacity(), MessageType.DEFINE, 0);
        final DefineEncoder e = new DefineEncoder().wrap(w);
        final CharSequence[] keys = new CharSequence[labelPairs.length / 2];
        final CharSequence[] values = new CharSequence[labelPairs.length / 2];
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = labelPairs[2 * i];
            values[i] = labelPairs[2 * i + 1];
        }
        e.series(id, kind, name, unit, keys, values, keys.length);
        e.finish();
        send(writer.finish());
    }

    /**
     * Sends one METRICS frame with samples (seriesId, time, value) triples.
     */
    public void metrics(final long sequence, final int flags, final long baseTime, final int[] ids, final long[] times,
        final double[] values) throws IOException
    {
        send(encodeMetrics(sequence, flags, baseTime, ids, times, values));
    }

    public int encodeMetrics(final long sequence, final int flags, final long baseTime, final int[] ids,
        final long[] times, final double[] values)
    {
        final WireWriter w = writer.begin(buffer, 0, buffer.capacity(), MessageType.METRICS, sequence);
        final MetricsEncoder e = new MetricsEncoder().wrap(w, baseTime);
        for (int i = 0; i < ids.length; i++)
        {
            if (!e.sample(ids[i], times[i], values[i]))
            {
                throw new IllegalStateException("frame full");
            }
        }
        e.finish();
        writer.flags(flags);
        return writer.finish();
    }

    public void log(final long sequence, final long timeNanos, final LogLevel level, final String logger,
        final String message) throws IOException
    {
        log(sequence, timeNanos, level, logger, "", message);
    }

    /**
     * Sends one LOGS frame with one record that carries its unformatted pattern ("" for none).
     */
    public void log(final long sequence, final long timeNanos, final LogLevel level, final String logger,
        final String pattern, final String message) throws IOException
    {
        final WireWriter w = writer.begin(buffer, 0, buffer.capacity(), MessageType.LOGS, sequence);
        final LogsEncoder e = new LogsEncoder().wrap(w, timeNanos);
        e.record(timeNanos, level, logger, "main", pattern, message, "", 0, 0, 0, 0, null, null, 0);
        e.finish();
        send(writer.finish());
    }

    /**
     * Sends one log record carrying trace and span ids, read from hex the way the agent reads an MDC.
     *
     * @param traceIdHex 32 hex digits, or empty.
     * @param spanIdHex  16 hex digits, or empty.
     */
    public void log(final long sequence, final long timeNanos, final LogLevel level, final String logger,
        final String message, final String traceIdHex, final String spanIdHex) throws IOException
    {
        final WireWriter w = writer.begin(buffer, 0, buffer.capacity(), MessageType.LOGS, sequence);
        final LogsEncoder e = new LogsEncoder().wrap(w, timeNanos);
        final long high = traceIdHex.isEmpty() ? 0 : Long.parseUnsignedLong(traceIdHex.substring(0, 16), 16);
        final long low = traceIdHex.isEmpty() ? 0 : Long.parseUnsignedLong(traceIdHex.substring(16), 16);
        final long span = spanIdHex.isEmpty() ? 0 : Long.parseUnsignedLong(spanIdHex, 16);
        e.record(timeNanos, level, logger, "main", "", message, "", 0, high, low, span, null, null, 0);
        e.finish();
        send(writer.finish());
    }

    /**
     * Writes the first length bytes of the scratch buffer.
     */
    public void send(final int length) throws IOException
    {
        out.write(buffer.byteArray(), 0, length);
        out.flush();
    }

    public void sendRaw(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /**
     * @return a copy of the last encoded frame.
     */
    public byte[] lastFrame(final int length)
    {
        final byte[] copy = new byte[length];
        buffer.getBytes(0, copy);
        return copy;
    }

    public Received read() throws IOException
    {
        final byte[] header = new byte[Frame.HEADER_LENGTH];
        in.readFully(header);
        final UnsafeBuffer h = new UnsafeBuffer(header);
        final int length = Frame.length(h, 0);
        final byte[] frame = new byte[length];
        System.arraycopy(header, 0, frame, 0, header.length);
        in.readFully(frame, header.length, length - header.length);
        final UnsafeBuffer b = new UnsafeBuffer(frame);
        final Received r = new Received(Frame.type(b, 0), Frame.sequence(b, 0), b, length);
        if (r.type() == MessageType.ACK)
        {
            highestAck = Math.max(highestAck, Ack.decode(r.payload()));
        }
        return r;
    }

    /**
     * Reads frames until an ACK of at least sequence arrives.
     */
    public void awaitAck(final long sequence) throws IOException
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (highestAck < sequence)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IOException("no ACK for " + sequence + " within 10 s; highest " + highestAck);
            }
            final Received r = read();
            if (r.type() == MessageType.NACK)
            {
                throw new IOException("NACK: " + Nack.decode(r.payload()));
            }
        }
    }

    /**
     * Reads frames until a NACK arrives.
     */
    public Nack awaitNack() throws IOException
    {
        while (true)
        {
            final Received r = read();
            if (r.type() == MessageType.NACK)
            {
                return Nack.decode(r.payload());
            }
        }
    }

    /**
     * @return true when the peer closed the connection within the timeout.
     */
    public boolean closedByPeer() throws IOException
    {
        final InputStream raw = socket.getInputStream();
        try
        {
            while (true)
            {
                if (raw.read() < 0)
                {
                    return true;
                }
            }
        }
        catch (final EOFException | java.net.SocketException ex)
        {
            return true;
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
    }

    public void setReadTimeout(final int millis) throws IOException
    {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
