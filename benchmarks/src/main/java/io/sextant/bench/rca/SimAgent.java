package io.sextant.bench.rca;

import io.sextant.protocol.Ack;
import io.sextant.protocol.DefineEncoder;
import io.sextant.protocol.Frame;
import io.sextant.protocol.FrameWriter;
import io.sextant.protocol.Hello;
import io.sextant.protocol.LogLevel;
import io.sextant.protocol.LogsEncoder;
import io.sextant.protocol.MessageType;
import io.sextant.protocol.MetricsEncoder;
import io.sextant.protocol.ModelEvent;
import io.sextant.protocol.Nack;
import io.sextant.protocol.SeriesKind;
import io.sextant.protocol.WireReader;
import io.sextant.protocol.WireWriter;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One simulated instance speaking the agent protocol over loopback: HELLO, DEFINE, METRICS, LOGS and
 * MODEL_EVENT frames written with the protocol's encoders on a blocking socket. A restart (deployment) is a
 * new session of the same agent id, as a real agent's stable name-based id gives. Single-threaded.
 */
final class SimAgent implements AutoCloseable {

    private final int port;
    private final UUID agentId;
    private final String service;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 20]);
    private final FrameWriter writer = new FrameWriter();
    private final MetricsEncoder metrics = new MetricsEncoder();
    private final LogsEncoder logs = new LogsEncoder();
    private final List<String> names = new ArrayList<>();
    private Socket socket;
    private OutputStream out;
    private DataInputStream in;
    private long sessionId;
    private long sequence;
    private long highestAck;
    private int sampleCount;

    SimAgent(int port, UUID agentId, String service) {
        this.port = port;
        this.agentId = agentId;
        this.service = service;
    }

    /** Connects (or reconnects as a new session, like a restarted JVM) and defines the series. */
    void connect(long nowMillis, String version, List<Simulator.SeriesDef> series) throws IOException {
        close();
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        in = new DataInputStream(socket.getInputStream());
        sessionId++;
        sequence = 0;
        highestAck = 0;
        WireWriter w = writer.begin(buffer, 0, buffer.capacity(), MessageType.HELLO, 0);
        new Hello(agentId, sessionId, 1000 + sessionId, nowMillis, Hello.CAP_METRICS | Hello.CAP_LOGS
                | Hello.CAP_INFERENCE, service, "sim-" + service, "sim", "0.1.0", "", Map.of("version", version)).encode(w);
        send(writer.finish());
        for (;;) {
            Frame0 f = read();
            if (f.type == MessageType.WELCOME) {
                break;
            }
            if (f.type == MessageType.NACK) {
                throw new IOException("NACK on HELLO: " + Nack.decode(f.payload()));
            }
        }
        names.clear();
        for (int i = 0; i < series.size(); i++) {
            w = writer.begin(buffer, 0, buffer.capacity(), MessageType.DEFINE, 0);
            DefineEncoder e = new DefineEncoder().wrap(w);
            Simulator.SeriesDef d = series.get(i);
            e.series(i + 1, d.counter() ? SeriesKind.COUNTER : SeriesKind.GAUGE, d.name(), d.unit(), d.labelKeys(),
                    d.labelValues(), d.labelKeys().length);
            e.finish();
            send(writer.finish());
            names.add(series.get(i).name());
        }
    }

    /** Starts a METRICS frame. */
    void beginMetrics(long baseMillis) {
        WireWriter w = writer.begin(buffer, 0, buffer.capacity(), MessageType.METRICS, ++sequence);
        metrics.wrap(w, baseMillis);
        sampleCount = 0;
    }

    void sample(int seriesIndex, long timeMillis, double value) {
        if (!metrics.sample(seriesIndex + 1, timeMillis, value)) {
            throw new IllegalStateException("metrics frame full");
        }
        sampleCount++;
    }

    void endMetrics() throws IOException {
        metrics.finish();
        send(writer.finish());
    }

    void log(long timeMillis, LogLevel level, String logger, String pattern, String message) throws IOException {
        WireWriter w = writer.begin(buffer, 0, buffer.capacity(), MessageType.LOGS, ++sequence);
        long nanos = timeMillis * 1_000_000L;
        logs.wrap(w, nanos);
        logs.record(nanos, level, logger, "main", pattern, message, "", 0, 0, 0, 0, null, null, 0);
        logs.finish();
        send(writer.finish());
    }

    void modelEvent(ModelEvent event) throws IOException {
        WireWriter w = writer.begin(buffer, 0, buffer.capacity(), MessageType.MODEL_EVENT, ++sequence);
        event.encode(w);
        send(writer.finish());
    }

    /** Waits until everything sent so far is acknowledged (journaled). */
    void sync() throws IOException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (highestAck < sequence) {
            if (System.nanoTime() - deadline > 0) {
                throw new IOException(service + ": no ACK for " + sequence + " within 60 s; highest " + highestAck);
            }
            Frame0 f = read();
            if (f.type == MessageType.NACK) {
                throw new IOException(service + ": NACK " + Nack.decode(f.payload()));
            }
        }
    }

    private void send(int length) throws IOException {
        out.write(buffer.byteArray(), 0, length);
    }

    void flush() throws IOException {
        out.flush();
    }

    private record Frame0(MessageType type, UnsafeBuffer buffer, int length) {
        WireReader payload() {
            return new WireReader().wrap(buffer, Frame.HEADER_LENGTH, length);
        }
    }

    private Frame0 read() throws IOException {
        out.flush();
        byte[] header = new byte[Frame.HEADER_LENGTH];
        in.readFully(header);
        int length = Frame.length(new UnsafeBuffer(header), 0);
        byte[] frame = new byte[length];
        System.arraycopy(header, 0, frame, 0, header.length);
        in.readFully(frame, header.length, length - header.length);
        UnsafeBuffer b = new UnsafeBuffer(frame);
        Frame0 f = new Frame0(Frame.type(b, 0), b, length);
        if (f.type == MessageType.ACK) {
            highestAck = Math.max(highestAck, Ack.decode(f.payload()));
        }
        return f;
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            out.flush();
            socket.close();
            socket = null;
        }
    }
}
