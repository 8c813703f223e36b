package io.sextant.agent.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.sextant.protocol.Ack;
import io.sextant.protocol.Command;
import io.sextant.protocol.CommandResult;
import io.sextant.protocol.DefineDecoder;
import io.sextant.protocol.Frame;
import io.sextant.protocol.Heartbeat;
import io.sextant.protocol.Hello;
import io.sextant.protocol.InferenceDecoder;
import io.sextant.protocol.LabelsDecoder;
import io.sextant.protocol.LogsDecoder;
import io.sextant.protocol.MessageType;
import io.sextant.protocol.MetricsDecoder;
import io.sextant.protocol.ModelEvent;
import io.sextant.protocol.PairCursor;
import io.sextant.protocol.Welcome;
import io.sextant.protocol.WireReader;
import io.sextant.protocol.netty.ByteBufFrames;
import io.sextant.protocol.netty.FrameDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A collector stand-in for tests, built on {@code protocol} over real loopback sockets: answers
 * HELLO with WELCOME (carrying the last journaled sequence of the agent's session), "journals"
 * sequenced frames in order, acknowledges cumulatively, answers heartbeats, and decodes what it
 * journals so tests can assert on metric names, log records and inferences.
 *
 * <p>{@link #holdAcks(boolean)} simulates a collector that received frames but has not journaled
 * them yet: they are neither journaled nor acknowledged, and {@link #stop()} loses them, as a
 * crash would. The journal survives {@link #stop()}/{@link #start()} like a real collector's
 * journal survives a restart.
 */
public final class TestReceiver implements AutoCloseable
{
    /** A decoded log record. */
    public record Log(String level, String logger, String thread, String pattern, String message,
        String exceptionClass, long fingerprint, String traceId, String spanId)
    {
    }

    /** A decoded inference record. */
    public record Inference(String model, String version, String outcome, String predictedClass, double number,
        double score, String predictionId, Map<String, Double> numeric, Map<String, String> categorical)
    {
    }

    /** A decoded metric sample. */
    public record Sample(String name, Map<String, String> labels, double value, boolean histogram)
    {
    }

    private final int port;
    private final int heartbeatMillis;
    private EventLoopGroup group;
    private Channel server;
    private final Set<Channel> children = ConcurrentHashMap.newKeySet();
    private final Map<Long, AtomicLong> journaled = new ConcurrentHashMap<>();
    private final List<Hello> hellos = new CopyOnWriteArrayList<>();
    private final List<Log> logs = new CopyOnWriteArrayList<>();
    private final List<Inference> inferences = new CopyOnWriteArrayList<>();
    private final List<String> labels = new CopyOnWriteArrayList<>();
    private final List<ModelEvent> modelEvents = new CopyOnWriteArrayList<>();
    private final List<CommandResult> commandResults = new CopyOnWriteArrayList<>();
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger resendFlags = new AtomicInteger();
    private final AtomicLong highestReceived = new AtomicLong();
    private final AtomicInteger largestFrame = new AtomicInteger();
    private volatile int maxFrameLength = Frame.DEFAULT_MAX_FRAME_LENGTH;
    private volatile boolean holdAcks;
    private volatile boolean silent;

    /**
     * @param port            port to listen on (0 picks one, see {@link #freePort()}).
     * @param heartbeatMillis heartbeat interval announced in WELCOME.
     */
    public TestReceiver(final int port, final int heartbeatMillis)
    {
        this.port = port;
        this.heartbeatMillis = heartbeatMillis;
    }

    /**
     * @return a port that was free a moment ago.
     */
    public static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    public int port()
    {
        return port;
    }

    /**
     * Starts listening.
     *
     * @return this.
     */
    public TestReceiver start()
    {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    children.add(ch);
                    ch.pipeline().addLast(new FrameDecoder(maxFrameLength), new Connection());
                }
            })
            .bind("127.0.0.1", port).syncUninterruptibly().channel();
        return this;
    }

    /**
     * Closes the server and every connection at once, losing frames held but not journaled.
     */
    public void stop()
    {
        if (server != null)
        {
            server.close().syncUninterruptibly();
            for (final Channel child : children)
            {
                child.close().syncUninterruptibly();
            }
            children.clear();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            server = null;
        }
    }

    @Override
    public void close()
    {
        stop();
    }

    /**
     * @param length the largest frame accepted (a longer one is a connection error) and announced in WELCOME,
     *               for connections accepted from now on.
     * @return this.
     */
    public TestReceiver maxFrameLength(final int length)
    {
        maxFrameLength = length;
        return this;
    }

    /**
     * @return the longest frame received so far.
     */
    public int largestFrame()
    {
        return largestFrame.get();
    }

    /**
     * @param hold true to receive without journaling or acknowledging.
     */
    public void holdAcks(final boolean hold)
    {
        holdAcks = hold;
    }

    /**
     * @param quiet true to send nothing after WELCOME: no ACK, no heartbeat answer (a hung collector).
     */
    public void silent(final boolean quiet)
    {
        silent = quiet;
        holdAcks = quiet;
    }

    /**
     * Sends a command to every connected agent.
     *
     * @param command the command.
     */
    public void send(final Command command)
    {
        for (final Channel child : children)
        {
            child.eventLoop().execute(() ->
            {
                final ByteBufFrames frames = new ByteBufFrames(4096);
                command.encode(frames.begin(MessageType.COMMAND, 0));
                child.writeAndFlush(frames.finish(child.alloc()));
            });
        }
    }

    public List<Hello> hellos()
    {
        return hellos;
    }

    public List<Log> logs()
    {
        return logs;
    }

    public List<Inference> inferences()
    {
        return inferences;
    }

    public List<String> labels()
    {
        return labels;
    }

    public List<ModelEvent> modelEvents()
    {
        return modelEvents;
    }

    public List<CommandResult> commandResults()
    {
        return commandResults;
    }

    public List<Sample> samples()
    {
        return samples;
    }

    /**
     * @return protocol violations seen: gaps in sequence numbers, undefined series, bad frames.
     */
    public List<String> errors()
    {
        return errors;
    }

    public int duplicates()
    {
        return duplicates.get();
    }

    public int resendFlags()
    {
        return resendFlags.get();
    }

    public long highestReceived()
    {
        return highestReceived.get();
    }

    /**
     * @return the highest sequence journaled over all sessions (tests use one agent).
     */
    public long journaled()
    {
        long max = 0;
        for (final AtomicLong j : journaled.values())
        {
            max = Math.max(max, j.get());
        }
        return max;
    }

    /**
     * @return names of every metric sampled so far.
     */
    public Set<String> metricNames()
    {
        final Set<String> names = ConcurrentHashMap.newKeySet();
        for (final Sample s : samples)
        {
            names.add(s.name());
        }
        return names;
    }

    /**
     * Polls a condition until it holds or the deadline passes.
     *
     * @param timeoutMillis deadline.
     * @param condition     what to wait for.
     * @return true when the condition held in time.
     */
    public static boolean await(final long timeoutMillis, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            try
            {
                Thread.sleep(20);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private final class Connection extends ChannelInboundHandlerAdapter
    {
        private final ByteBufFrames out = new ByteBufFrames(4096);
        private final WireReader reader = new WireReader();
        private final Map<Integer, String> names = new HashMap<>();
        private final Map<Integer, Map<String, String>> seriesLabels = new HashMap<>();
        private final DefineDecoder defines = new DefineDecoder();
        private final MetricsDecoder metrics = new MetricsDecoder();
        private final LogsDecoder logsDecoder = new LogsDecoder();
        private final InferenceDecoder inferenceDecoder = new InferenceDecoder();
        private final LabelsDecoder labelsDecoder = new LabelsDecoder();
        private AtomicLong session;

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf frame = (ByteBuf)msg;
            try
            {
                final byte[] bytes = new byte[frame.readableBytes()];
                largestFrame.accumulateAndGet(bytes.length, Math::max);
                frame.readBytes(bytes);
                final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
                final MessageType type = Frame.type(buffer, 0);
                final int length = Frame.length(buffer, 0);
                reader.wrap(buffer, Frame.HEADER_LENGTH, length);
                switch (type)
                {
                    case HELLO ->
                    {
                        final Hello hello = Hello.decode(reader);
                        hellos.add(hello);
                        session = journaled.computeIfAbsent(hello.sessionId(), k -> new AtomicLong());
                        new Welcome(1, session.get(), heartbeatMillis, maxFrameLength, 0, "test")
                            .encode(out.begin(MessageType.WELCOME, 0));
                        ctx.writeAndFlush(out.finish(ctx.alloc()));
                    }
                    case HEARTBEAT ->
                    {
                        if (silent)
                        {
                            return;
                        }
                        final long sent = Heartbeat.sentAtNanos(reader);
                        Heartbeat.encode(out.begin(MessageType.HEARTBEAT, 0), System.nanoTime(), sent);
                        ctx.writeAndFlush(out.finish(ctx.alloc()));
                    }
                    case DEFINE ->
                    {
                        defines.wrap(buffer, Frame.HEADER_LENGTH, length);
                        while (defines.next())
                        {
                            names.put(defines.seriesId(), defines.name().toString());
                            final Map<String, String> l = new LinkedHashMap<>();
                            final PairCursor cursor = defines.labels();
                            while (cursor.next())
                            {
                                l.put(cursor.key().toString(), cursor.text().toString());
                            }
                            seriesLabels.put(defines.seriesId(), l);
                        }
                    }
                    default ->
                    {
                        if (type.isSequenced())
                        {
                            onSequenced(ctx, type, buffer, length);
                        }
                    }
                }
            }
            catch (final RuntimeException ex)
            {
                errors.add("bad frame: " + ex);
            }
            finally
            {
                frame.release();
            }
        }

        private void onSequenced(final ChannelHandlerContext ctx, final MessageType type, final UnsafeBuffer buffer,
            final int length)
        {
            if (session == null)
            {
                errors.add(type + " before HELLO");
                return;
            }
            final long sequence = Frame.sequence(buffer, 0);
            highestReceived.accumulateAndGet(sequence, Math::max);
            if ((Frame.flags(buffer, 0) & Frame.FLAG_RESEND) != 0)
            {
                resendFlags.incrementAndGet();
            }
            if (holdAcks)
            {
                return;
            }
            final long last = session.get();
            if (sequence <= last)
            {
                duplicates.incrementAndGet();
            }
            else if (sequence != last + 1)
            {
                errors.add("gap: expected " + (last + 1) + ", got " + sequence);
                return;
            }
            else
            {
                decode(type, buffer, length);
                session.set(sequence);
            }
            Ack.encode(out.begin(MessageType.ACK, 0), session.get());
            ctx.writeAndFlush(out.finish(ctx.alloc()));
        }

        private void decode(final MessageType type, final UnsafeBuffer buffer, final int length)
        {
            final int offset = Frame.HEADER_LENGTH;
            switch (type)
            {
                case METRICS ->
                {
                    metrics.wrap(buffer, offset, length);
                    while (metrics.next())
                    {
                        final String name = names.get(metrics.seriesId());
                        if (name == null)
                        {
                            errors.add("sample of undefined series " + metrics.seriesId());
                            continue;
                        }
                        final boolean histogram = metrics.encoding() == io.sextant.protocol.ValueEncoding.HISTOGRAM;
                        samples.add(new Sample(name, seriesLabels.get(metrics.seriesId()),
                            histogram ? Double.NaN : metrics.value(), histogram));
                    }
                }
                case LOGS ->
                {
                    logsDecoder.wrap(buffer, offset, length);
                    while (logsDecoder.next())
                    {
                        logs.add(new Log(logsDecoder.level().name(), logsDecoder.logger().toString(),
                            logsDecoder.thread().toString(), logsDecoder.pattern().toString(),
                            logsDecoder.message().toString(), logsDecoder.exceptionClass().toString(),
                            logsDecoder.stackFingerprint(), hex(logsDecoder.traceId().toByteArray()),
                            hex(logsDecoder.spanId().toByteArray())));
                    }
                }
                case INFERENCE ->
                {
                    inferenceDecoder.wrap(buffer, offset, length);
                    while (inferenceDecoder.next())
                    {
                        final Map<String, Double> numeric = new LinkedHashMap<>();
                        final PairCursor n = inferenceDecoder.numericFeatures();
                        while (n.next())
                        {
                            numeric.put(n.key().toString(), n.number());
                        }
                        final Map<String, String> categorical = new LinkedHashMap<>();
                        final PairCursor c = inferenceDecoder.categoricalFeatures();
                        while (c.next())
                        {
                            categorical.put(c.key().toString(), c.text().toString());
                        }
                        inferences.add(new Inference(inferenceDecoder.model().toString(),
                            inferenceDecoder.version().toString(), inferenceDecoder.outcome().name(),
                            inferenceDecoder.predictionKind() == io.sextant.protocol.PredictionKind.CLASS ?
                                inferenceDecoder.predictedClass().toString() : "",
                            inferenceDecoder.predictionKind() == io.sextant.protocol.PredictionKind.NUMBER ?
                                inferenceDecoder.predictedNumber() : Double.NaN,
                            inferenceDecoder.score(), inferenceDecoder.predictionId().toString(), numeric,
                            categorical));
                    }
                }
                case LABELS ->
                {
                    labelsDecoder.wrap(buffer, offset, length);
                    while (labelsDecoder.next())
                    {
                        labels.add(labelsDecoder.predictionId().toString());
                    }
                }
                case MODEL_EVENT -> modelEvents.add(ModelEvent.decode(new WireReader().wrap(buffer, offset, length)));
                case COMMAND_RESULT ->
                    commandResults.add(CommandResult.decode(new WireReader().wrap(buffer, offset, length)));
                default -> errors.add("unexpected " + type);
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            errors.add("connection error: " + cause);
            ctx.close();
        }
    }

    private static String hex(final byte[] bytes)
    {
        // Ids are raw bytes in W3C / OTLP order (SPEC.md 5.8): their hex, byte by byte, is the id.
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
