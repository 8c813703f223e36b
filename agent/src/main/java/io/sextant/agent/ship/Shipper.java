package io.sextant.agent.ship;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.sextant.agent.AgentLog;
import io.sextant.agent.command.CommandRunner;
import io.sextant.agent.config.AgentConfig;
import io.sextant.agent.jvm.JvmMetrics;
import io.sextant.agent.logs.LogSink;
import io.sextant.agent.record.ApiEndpoints;
import io.sextant.agent.record.CustomMetrics;
import io.sextant.agent.record.ModelRegistry;
import io.sextant.agent.record.RecordRing;
import io.sextant.agent.record.RingString;
import io.sextant.protocol.Command;
import io.sextant.protocol.CommandResult;
import io.sextant.protocol.DefineEncoder;
import io.sextant.protocol.Frame;
import io.sextant.protocol.FrameChecksum;
import io.sextant.protocol.FrameWriter;
import io.sextant.protocol.Heartbeat;
import io.sextant.protocol.Hello;
import io.sextant.protocol.InferenceEncoder;
import io.sextant.protocol.LabelsEncoder;
import io.sextant.protocol.LogLevel;
import io.sextant.protocol.LogsEncoder;
import io.sextant.protocol.MessageType;
import io.sextant.protocol.MetricsEncoder;
import io.sextant.protocol.ModelEvent;
import io.sextant.protocol.Nack;
import io.sextant.protocol.Outcome;
import io.sextant.protocol.PredictionKind;
import io.sextant.protocol.ProtocolException;
import io.sextant.protocol.SeriesKind;
import io.sextant.protocol.Welcome;
import io.sextant.protocol.WireWriter;
import io.sextant.protocol.netty.ByteBufFrames;
import io.sextant.protocol.netty.FrameDecoder;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The sender: the agent's one working thread (an Agrona {@link Agent}), plus one Netty I/O thread
 * for the socket.
 *
 * <p>Each duty cycle it (1) handles connection events from the I/O thread, (2) releases frames the
 * collector acknowledged, (3) drains the ring buffer into LOGS, INFERENCE and LABELS batches while
 * {@link KeptFrames} has room, (4) samples JVM, custom and its own metrics into METRICS frames at
 * the metrics interval, (5) seals batches that are full or older than the batch delay, numbering
 * them 1, 2, 3... with no gaps, and (6) drives the connection: connect with exponential backoff
 * and jitter, HELLO, on WELCOME drop what the collector already journaled, re-DEFINE every series,
 * resend every kept frame with {@link Frame#FLAG_RESEND}, then stream new frames, heartbeat when
 * idle and drop the connection after three silent heartbeat intervals.
 *
 * <p>Memory: the ring buffer, four batch buffers and the kept-frame region are allocated once and
 * sized by {@code sextant.agent.memory-limit}. When the kept frames fill it, the sender stops
 * draining the ring and defers metric sampling (counters and histograms keep aggregating), so the
 * ring fills and application threads drop and count. A numbered frame is never dropped.
 *
 * <p>Single writer of everything here: the sender thread. The I/O thread only touches {@link Link}.
 */
public final class Shipper implements Agent, MetricsOut
{
    enum State
    {
        DISCONNECTED, CONNECTING, HANDSHAKE, READY, CLOSED
    }

    /**
     * Most records one duty cycle reads from the ring buffer. A cycle that reads fewer counts as idle
     * ({@link SenderIdle}), so under a steady load the sender wakes about every 10 ms and drains what
     * gathered meanwhile; only a load that fills this many records between two cycles, or a quarter of
     * the ring buffer, keeps it running.
     * Each wake-up costs the machine a context switch and, with a small drain, a wake-up of the I/O
     * thread for a frame or two: on a 2-core machine at 75,000 inferences/s, draining 256 at a time woke
     * the sender 1,250 times a second.
     */
    public static final int DRAIN_LIMIT = 4096;
    private static final int WRITE_LIMIT = 64;

    private final AgentConfig config;
    private final NanoClock clock;
    private final RecordRing ring;
    private final ApiEndpoints api;
    private final CustomMetrics custom;
    private final ModelRegistry models;
    private final LogSink logSink;
    private final JvmMetrics jvm;
    private final Hello hello;
    private final KeptFrames kept;
    private final FrameSplitter splitter;
    private final FrameSplitter.Pieces keepPiece = this::keepPiece;
    private final FrameChecksum checksum = new FrameChecksum();
    private final SeriesTable series = new SeriesTable();
    private final FrameBatch metricsBatch;
    private final FrameBatch logsBatch;
    private final FrameBatch inferenceBatch;
    private final FrameBatch labelsBatch;
    private final MetricsEncoder metricsEncoder = new MetricsEncoder();
    private final LogsEncoder logsEncoder = new LogsEncoder();
    private final InferenceEncoder inferenceEncoder = new InferenceEncoder();
    private final LabelsEncoder labelsEncoder = new LabelsEncoder();
    private final UnsafeBuffer single;
    private final FrameWriter singleWriter = new FrameWriter();
    private final ByteBufFrames control;
    private final DefineEncoder defineEncoder = new DefineEncoder();
    private final ByteBuffer histogramBytes = ByteBuffer.allocateDirect(64 * 1024);
    private final UnsafeBuffer histogramView = new UnsafeBuffer(histogramBytes);
    private final ManyToOneConcurrentArrayQueue<Link.Event> events = new ManyToOneConcurrentArrayQueue<>(256);
    private final ArrayDeque<Command> commands = new ArrayDeque<>();
    private final ControlledMessageHandler drainHandler = this::onRecord;
    private final RingString s1 = new RingString();
    private final RingString s2 = new RingString();
    private final RingString s3 = new RingString();
    private final RingString s4 = new RingString();
    private final RingString s5 = new RingString();
    private final RingString[] categorical = new RingString[256];
    private final double[] numeric = new double[256];
    private final int[] customSeries = new int[CustomMetrics.MAX_SERIES];
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;

    private Runnable startTask;
    private volatile long connectAttempts;
    private volatile boolean closing;
    private volatile boolean flushed;
    private boolean finalSampleTaken;
    private State state = State.DISCONNECTED;
    private Link link;
    private long nowNanos;
    private long lastSequence;
    private int frameLimit;
    private long ackedSequence;
    private long highestWritten;
    private long resendUpTo;
    private long sendCursor;
    private int definedOnConnection;
    private long nextAttemptNanos;
    private long backoffNanos;
    private long handshakeStartNanos;
    private long heartbeatNanos;
    private long lastWriteNanos;
    private long nextMetricsNanos;
    private int customDefined;
    private boolean nackReported;
    private boolean unreachableReported;

    private long framesSent;
    private long framesAcked;
    private long framesResent;
    private long reconnects;
    private long recordsTooLarge;
    private long samplesDeferred;

    private final int selfSent;
    private final int selfAcked;
    private final int selfResent;
    private final int selfDropped;
    private final int selfRateLimited;
    private final int selfReconnects;
    private final int selfRingFill;
    private final int selfKeptBytes;
    private final int selfKeptFrames;
    private final int selfModelEventsDropped;

    /**
     * @param config  validated configuration.
     * @param clock   the clock (injected so tests can drive time).
     * @param ring    ring buffer application threads write into.
     * @param api     API endpoints (for model events).
     * @param custom  custom metrics.
     * @param models  model registry.
     * @param logSink log sink, or null when logs are off.
     * @param jvm     JVM metrics, or null when off.
     * @param hello   the HELLO this agent sends on every connection.
     */
    public Shipper(final AgentConfig config, final NanoClock clock, final RecordRing ring, final ApiEndpoints api,
        final CustomMetrics custom, final ModelRegistry models, final LogSink logSink, final JvmMetrics jvm,
        final Hello hello)
    {
        this.config = config;
        this.clock = clock;
        this.ring = ring;
        this.api = api;
        this.custom = custom;
        this.models = models;
        this.logSink = logSink;
        this.jvm = jvm;
        this.hello = hello;
        final int maxFrame = config.maxFrameBytes();
        this.kept = new KeptFrames(config.keptFrameBytes());
        this.splitter = new FrameSplitter(maxFrame);
        this.frameLimit = maxFrame;
        this.metricsBatch = new FrameBatch(MessageType.METRICS, maxFrame);
        this.logsBatch = new FrameBatch(MessageType.LOGS, maxFrame);
        this.inferenceBatch = new FrameBatch(MessageType.INFERENCE, maxFrame);
        this.labelsBatch = new FrameBatch(MessageType.LABELS, maxFrame);
        this.single = new UnsafeBuffer(new byte[maxFrame]);
        this.control = new ByteBufFrames(maxFrame);
        for (int i = 0; i < categorical.length; i++)
        {
            categorical[i] = new RingString();
        }
        this.backoffNanos = config.reconnectMinNanos();
        this.heartbeatNanos = config.heartbeatIntervalNanos();
        selfSent = define(SeriesKind.COUNTER, "sextant.agent.frames.sent", "1");
        selfAcked = define(SeriesKind.COUNTER, "sextant.agent.frames.acked", "1");
        selfResent = define(SeriesKind.COUNTER, "sextant.agent.frames.resent", "1");
        selfDropped = define(SeriesKind.COUNTER, "sextant.agent.records.dropped", "1", "reason", "buffer_full");
        selfRateLimited = define(SeriesKind.COUNTER, "sextant.agent.records.dropped", "1", "reason", "log_rate_limit");
        selfModelEventsDropped = define(SeriesKind.COUNTER, "sextant.agent.records.dropped", "1", "reason",
            "model_event_queue_full");
        selfReconnects = define(SeriesKind.COUNTER, "sextant.agent.reconnects", "1");
        selfRingFill = define(SeriesKind.GAUGE, "sextant.agent.buffer.fill", "ratio");
        selfKeptBytes = define(SeriesKind.GAUGE, "sextant.agent.kept.bytes", "bytes");
        selfKeptFrames = define(SeriesKind.GAUGE, "sextant.agent.kept.frames", "1");

        NettyLogging.install();
        group = new MultiThreadIoEventLoopGroup(1, daemonThreads("sextant-io"), NioIoHandler.newFactory());
        bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
            .option(ChannelOption.ALLOCATOR, new UnpooledByteBufAllocator(false))
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int)Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(config.connectTimeoutNanos())))
            .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024));
    }

    /**
     * @param name thread name.
     * @return a factory of daemon threads of that name.
     */
    public static ThreadFactory daemonThreads(final String name)
    {
        return runnable ->
        {
            final Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public String roleName()
    {
        return "sextant-sender";
    }

    @Override
    public void onStart()
    {
        nowNanos = clock.nanoTime();
        if (jvm != null)
        {
            jvm.start(this);
        }
        nextMetricsNanos = nowNanos + config.metricsIntervalNanos();
        nextAttemptNanos = nowNanos;
        lastWriteNanos = nowNanos;
        driveConnection();
        if (logSink != null)
        {
            logSink.agentThread(Thread.currentThread());
            group.submit(() -> logSink.ioThread(Thread.currentThread()));
        }
        if (startTask != null)
        {
            try
            {
                startTask.run();
            }
            catch (final Throwable t)
            {
                AgentLog.error("start-up task failed", t);
            }
        }
    }

    /**
     * @param task run once on the sender thread when it starts (for example installing log capture).
     */
    public void onStartTask(final Runnable task)
    {
        startTask = task;
    }

    @Override
    public int doWork()
    {
        nowNanos = clock.nanoTime();
        ring.advanceClock(System.currentTimeMillis());
        int work = pollEvents();
        work += processAcks();
        work += drain();
        work += modelEventsAndCommands();
        if (nowNanos - nextMetricsNanos >= 0)
        {
            if (sampleMetrics())
            {
                nextMetricsNanos += config.metricsIntervalNanos();
                if (nowNanos - nextMetricsNanos >= 0)
                {
                    nextMetricsNanos = nowNanos + config.metricsIntervalNanos();
                }
            }
            work++;
        }
        work += sealDue();
        work += driveConnection();
        if (closing)
        {
            finishFlush();
        }
        return work;
    }

    /**
     * Called from the JVM's shutdown hook: asks the sender to seal everything it holds and waits,
     * up to the timeout, until the collector has acknowledged it all (or at once when there is no
     * connection to send it on and none being made).
     *
     * @param timeoutNanos longest wait.
     * @return true when everything was acknowledged or there was nothing to wait for.
     */
    public boolean flush(final long timeoutNanos)
    {
        closing = true;
        final long deadline = System.nanoTime() + timeoutNanos;
        while (!flushed && System.nanoTime() - deadline < 0)
        {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return flushed;
    }

    private void finishFlush()
    {
        if (!finalSampleTaken)
        {
            finalSampleTaken = sampleMetrics();
        }
        final boolean sealed = seal(logsBatch) & seal(inferenceBatch) & seal(labelsBatch) & seal(metricsBatch);
        final boolean ringEmpty = ring.ring().size() == 0;
        // A first connection still being made is waited for (a short-lived application exits before it is up);
        // after a failed attempt there is nothing to wait for.
        final boolean connecting = state == State.CONNECTING || state == State.DISCONNECTED && connectAttempts == 0;
        if (state != State.READY && state != State.HANDSHAKE && !connecting)
        {
            flushed = true;
        }
        else if (sealed && ringEmpty && kept.frames() == 0)
        {
            flushed = true;
        }
    }

    @Override
    public void onClose()
    {
        state = State.CLOSED;
        if (jvm != null)
        {
            jvm.close();
        }
        if (link != null && link.channel != null)
        {
            link.channel.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- series and metrics

    @Override
    public int define(final SeriesKind kind, final String name, final String unit, final String... labels)
    {
        return series.define(kind, name, unit, labels);
    }

    private boolean ensureMetricsOpen()
    {
        if (!metricsBatch.isOpen())
        {
            metricsEncoder.wrap(metricsBatch.begin(nowNanos, frameLimit), System.currentTimeMillis());
        }
        return true;
    }

    @Override
    public void sample(final int seriesId, final double value)
    {
        ensureMetricsOpen();
        final long t = System.currentTimeMillis();
        if (!metricsEncoder.sample(seriesId, t, value) && seal(metricsBatch))
        {
            ensureMetricsOpen();
            metricsEncoder.sample(seriesId, t, value);
        }
    }

    @Override
    public void sampleLong(final int seriesId, final long value)
    {
        ensureMetricsOpen();
        final long t = System.currentTimeMillis();
        if (!metricsEncoder.sampleLong(seriesId, t, value) && seal(metricsBatch))
        {
            ensureMetricsOpen();
            metricsEncoder.sampleLong(seriesId, t, value);
        }
    }

    @Override
    public void histogram(final int seriesId, final AbstractHistogram histogram)
    {
        if (histogram.getNeededByteBufferCapacity() > histogramBytes.capacity())
        {
            return;
        }
        histogramBytes.clear();
        final int length = histogram.encodeIntoByteBuffer(histogramBytes);
        ensureMetricsOpen();
        final long t = System.currentTimeMillis();
        if (!metricsEncoder.histogram(seriesId, t, histogramView, 0, length) && seal(metricsBatch))
        {
            ensureMetricsOpen();
            metricsEncoder.histogram(seriesId, t, histogramView, 0, length);
        }
    }

    private boolean sampleMetrics()
    {
        if (!kept.hasRoom(4 * metricsBatch.scratch.capacity()))
        {
            samplesDeferred++;
            return false;
        }
        if (jvm != null)
        {
            jvm.sample(this, nowNanos);
        }
        final int count = custom.count();
        for (int id = customDefined; id < count; id++)
        {
            final SeriesKind kind = SeriesKind.of(custom.kind(id));
            customSeries[id] = series.define(kind, custom.name(id), custom.unit(id), custom.labels(id));
        }
        customDefined = count;
        for (int id = 0; id < count; id++)
        {
            switch (custom.kind(id))
            {
                case CustomMetrics.KIND_COUNTER -> sampleLong(customSeries[id], custom.counterValue(id));
                case CustomMetrics.KIND_GAUGE ->
                {
                    final double value = custom.gaugeValue(id);
                    if (!Double.isNaN(value))
                    {
                        sample(customSeries[id], value);
                    }
                }
                default ->
                {
                    final Histogram interval = custom.intervalHistogram(id);
                    if (interval.getTotalCount() > 0)
                    {
                        histogram(customSeries[id], interval);
                    }
                }
            }
        }
        sampleLong(selfSent, framesSent);
        sampleLong(selfAcked, framesAcked);
        sampleLong(selfResent, framesResent);
        sampleLong(selfDropped, ring.dropped() + recordsTooLarge + splitter.dropped());
        sampleLong(selfRateLimited, logSink == null ? 0 : logSink.rateLimited());
        sampleLong(selfModelEventsDropped, api.modelEventsDropped());
        sampleLong(selfReconnects, reconnects);
        sample(selfRingFill, ring.fill());
        sampleLong(selfKeptBytes, kept.bytes());
        sampleLong(selfKeptFrames, kept.frames());
        seal(metricsBatch);
        return true;
    }

    // ---------------------------------------------------------------- batches and kept frames

    private boolean seal(final FrameBatch batch)
    {
        if (!batch.isOpen())
        {
            return true;
        }
        final int count;
        if (batch == metricsBatch)
        {
            metricsEncoder.finish();
            count = metricsEncoder.count();
        }
        else if (batch == logsBatch)
        {
            logsEncoder.finish();
            count = logsEncoder.count();
        }
        else if (batch == inferenceBatch)
        {
            inferenceEncoder.finish();
            count = inferenceEncoder.count();
        }
        else
        {
            labelsEncoder.finish();
            count = labelsEncoder.count();
        }
        if (count == 0)
        {
            batch.discard();
            return true;
        }
        final int length = batch.length();
        if (!kept.hasRoom(length))
        {
            return false;
        }
        if (length > frameLimit)
        {
            // Begun before a WELCOME lowered the limit: cut it at record boundaries.
            splitter.split(batch.type, batch.scratch, 0, length, frameLimit, lastSequence + 1, keepPiece);
            batch.discard();
            return true;
        }
        batch.seal(lastSequence + 1);
        kept.append(batch.scratch, 0, length);
        lastSequence++;
        return true;
    }

    private int sealDue()
    {
        int work = 0;
        final long delay = config.batchDelayNanos();
        work += sealIfOlder(logsBatch, delay);
        work += sealIfOlder(inferenceBatch, delay);
        work += sealIfOlder(labelsBatch, delay);
        return work;
    }

    private int sealIfOlder(final FrameBatch batch, final long delay)
    {
        if (batch.isOpen() && nowNanos - batch.openedAtNanos() >= delay)
        {
            return seal(batch) ? 1 : 0;
        }
        return 0;
    }

    private boolean appendSingle(final MessageType type, final Object record)
    {
        if (!kept.hasRoom(single.capacity()))
        {
            return false;
        }
        try
        {
            final WireWriter writer = singleWriter.begin(single, 0, Math.min(frameLimit, single.capacity()), type,
                lastSequence + 1);
            if (record instanceof ModelEvent event)
            {
                event.encode(writer);
            }
            else
            {
                ((CommandResult)record).encode(writer);
            }
            final int length = singleWriter.finish();
            kept.append(single, 0, length);
            lastSequence++;
        }
        catch (final ProtocolException ex)
        {
            recordsTooLarge++;
        }
        return true;
    }

    private boolean keepPiece(final org.agrona.MutableDirectBuffer frame, final int length)
    {
        if (!kept.append(frame, 0, length))
        {
            recordsTooLarge++;
            return false;
        }
        lastSequence++;
        return true;
    }

    /**
     * Called on WELCOME, after releasing what the collector journaled: when kept frames are longer than the
     * collector's maxFrameLength (frames made before this connection, for a collector that accepts less than
     * the agent's max-frame-size), renumbers every kept frame from the collector's last journaled sequence on,
     * splitting the long batches at record boundaries. Safe because none of them is journaled: the collector
     * has just said so, and nothing of this session reaches it on another connection. A single-record frame
     * (MODEL_EVENT, COMMAND_RESULT) or a record that alone is too long is dropped and counted.
     */
    private void refitKeptFrames()
    {
        boolean tooLong = false;
        long bytes = 0;
        for (long entry = kept.firstEntry(); entry < kept.endEntry(); entry++)
        {
            tooLong |= kept.length(entry) > frameLimit;
            bytes += kept.length(entry);
        }
        if (!tooLong)
        {
            return;
        }
        // A copy for the length of this rare operation: the kept region is rewritten from its start.
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[(int)bytes]);
        final int frames = kept.frames();
        final int[] lengths = new int[frames];
        int at = 0;
        for (int i = 0; i < frames; i++)
        {
            final long entry = kept.firstEntry() + i;
            lengths[i] = kept.length(entry);
            copy.putBytes(at, kept.view(entry), 0, lengths[i]);
            at += lengths[i];
        }
        kept.clear();
        lastSequence = ackedSequence;
        highestWritten = ackedSequence;
        at = 0;
        for (int i = 0; i < frames; i++)
        {
            final int length = lengths[i];
            final MessageType type = Frame.type(copy, at);
            if (length <= frameLimit)
            {
                copy.putLong(at + Frame.SEQUENCE_OFFSET, lastSequence + 1, Frame.BYTE_ORDER);
                FrameWriter.rewriteFlags(copy, at, 0, checksum);
                if (kept.append(copy, at, length))
                {
                    lastSequence++;
                }
                else
                {
                    recordsTooLarge++;
                }
            }
            else if (FrameSplitter.splittable(type))
            {
                splitter.split(type, copy, at, at + length, frameLimit, lastSequence + 1, keepPiece);
            }
            else
            {
                recordsTooLarge++;
            }
            at += length;
        }
    }

    private int modelEventsAndCommands()
    {
        int work = 0;
        ModelEvent event;
        while ((event = api.modelEvents().peek()) != null && appendSingle(MessageType.MODEL_EVENT, event))
        {
            api.modelEvents().poll();
            work++;
        }
        Command command;
        while ((command = commands.peek()) != null && kept.hasRoom(single.capacity()))
        {
            commands.poll();
            appendSingle(MessageType.COMMAND_RESULT, CommandRunner.run(command));
            work++;
        }
        return work;
    }

    // ---------------------------------------------------------------- ring buffer

    private int drain()
    {
        if (!kept.hasRoom(2 * logsBatch.scratch.capacity()))
        {
            return 0;
        }
        final int read = ring.ring().controlledRead(drainHandler, DRAIN_LIMIT);
        // A ring still a quarter full after a drain is filling faster than parked cycles empty it: report
        // a full cycle so that the sender stops parking (SenderIdle) before records are dropped.
        return read > 0 && ring.ring().size() > ring.ring().capacity() >> 2 ? Math.max(read, DRAIN_LIMIT) : read;
    }

    private ControlledMessageHandler.Action onRecord(
        final int msgTypeId, final org.agrona.MutableDirectBuffer buffer, final int index, final int length)
    {
        final boolean done;
        if (msgTypeId == RecordRing.MSG_INFERENCE)
        {
            done = encodeInference(buffer, index) || (seal(inferenceBatch) && encodeInferenceOrDrop(buffer, index));
        }
        else if (msgTypeId == RecordRing.MSG_LOG)
        {
            done = encodeLog(buffer, index) || (seal(logsBatch) && encodeLogOrDrop(buffer, index));
        }
        else if (msgTypeId == RecordRing.MSG_LABEL)
        {
            done = encodeLabel(buffer, index) || (seal(labelsBatch) && encodeLabelOrDrop(buffer, index));
        }
        else
        {
            done = true;
        }
        return done ? ControlledMessageHandler.Action.CONTINUE : ControlledMessageHandler.Action.ABORT;
    }

    private boolean encodeInferenceOrDrop(final DirectBuffer buffer, final int index)
    {
        if (!encodeInference(buffer, index))
        {
            recordsTooLarge++;
        }
        return true;
    }

    private boolean encodeLogOrDrop(final DirectBuffer buffer, final int index)
    {
        if (!encodeLog(buffer, index))
        {
            recordsTooLarge++;
        }
        return true;
    }

    private boolean encodeLabelOrDrop(final DirectBuffer buffer, final int index)
    {
        if (!encodeLabel(buffer, index))
        {
            recordsTooLarge++;
        }
        return true;
    }

    private boolean encodeInference(final DirectBuffer b, final int index)
    {
        final long time = b.getLong(index);
        final int modelId = b.getInt(index + 32);
        if (!models.valid(modelId))
        {
            return true;
        }
        if (!inferenceBatch.isOpen())
        {
            inferenceEncoder.wrap(inferenceBatch.begin(nowNanos, frameLimit), time);
        }
        final int numCount = b.getShort(index + 38);
        final int catCount = b.getShort(index + 40);
        // the predicted class: a negative count is the model's class code (ModelRegistry.classCode)
        final int classField = b.getInt(index + 44);
        final CharSequence predictedClass;
        int at;
        if (classField < 0)
        {
            final String known = models.className(modelId, -1 - classField);
            predictedClass = known == null ? "" : known;
            at = s2.wrap(b, index + 48);
        }
        else
        {
            predictedClass = s1;
            at = s2.wrap(b, s1.wrap(b, index + 44));
        }
        for (int i = 0; i < numCount; i++)
        {
            numeric[i] = b.getDouble(at);
            at += 8;
        }
        for (int i = 0; i < catCount; i++)
        {
            at = categorical[i].wrap(b, at);
        }
        final Outcome outcome = b.getByte(index + 36) == 0 ? Outcome.OK : Outcome.ERROR;
        final PredictionKind kind = PredictionKind.of(b.getByte(index + 37));
        return inferenceEncoder.record(time, models.name(modelId), models.version(modelId), b.getLong(index + 8),
            outcome, kind == null ? PredictionKind.NONE : kind, predictedClass, b.getDouble(index + 16),
            b.getDouble(index + 24), s2, models.numericFeatures(modelId), numeric, numCount, models.categoricalFeatures(modelId), categorical,
            catCount);
    }

    private boolean encodeLog(final DirectBuffer b, final int index)
    {
        final long time = b.getLong(index);
        if (!logsBatch.isOpen())
        {
            logsEncoder.wrap(logsBatch.begin(nowNanos, frameLimit), time);
        }
        int at = s1.wrap(b, index + 44);
        at = s2.wrap(b, at);
        at = s3.wrap(b, at);
        at = s4.wrap(b, at);
        s5.wrap(b, at);
        final LogLevel level = LogLevel.of(b.getInt(index + 40));
        return logsEncoder.record(time, level == null ? LogLevel.INFO : level, s1, s2, s3, s4, s5, b.getLong(index + 8),
            b.getLong(index + 16), b.getLong(index + 24), b.getLong(index + 32), null, null, 0);
    }

    private boolean encodeLabel(final DirectBuffer b, final int index)
    {
        final long time = b.getLong(index);
        if (!labelsBatch.isOpen())
        {
            labelsEncoder.wrap(labelsBatch.begin(nowNanos, frameLimit), time);
        }
        int at = s1.wrap(b, index + 20);
        at = s2.wrap(b, at);
        s3.wrap(b, at);
        final PredictionKind kind = b.getInt(index + 16) == 1 ? PredictionKind.CLASS : PredictionKind.NUMBER;
        return labelsEncoder.label(time, s1, s2, kind, s3, b.getDouble(index + 8));
    }

    // ---------------------------------------------------------------- connection

    private int processAcks()
    {
        final Link current = link;
        if (current == null || state != State.READY)
        {
            return 0;
        }
        final long acked = current.acked;
        if (acked > ackedSequence)
        {
            framesAcked += kept.release(acked);
            ackedSequence = acked;
            return 1;
        }
        return 0;
    }

    private int pollEvents()
    {
        int work = 0;
        Link.Event event;
        while ((event = events.poll()) != null)
        {
            work++;
            if (event.link() != link)
            {
                if (event.payload() == Link.OPEN && event.link().channel != null)
                {
                    event.link().channel.close();
                }
                continue;
            }
            final Object payload = event.payload();
            if (payload == Link.OPEN)
            {
                sendHello();
            }
            else if (payload == Link.CLOSED)
            {
                disconnected();
            }
            else if (payload instanceof Welcome welcome)
            {
                onWelcome(welcome);
            }
            else if (payload instanceof Nack nack)
            {
                onNack(nack);
            }
            else if (payload instanceof Command command)
            {
                if (commands.size() < 16)
                {
                    commands.add(command);
                }
            }
            else if (payload instanceof Throwable error)
            {
                if (state == State.CONNECTING)
                {
                    if (!unreachableReported)
                    {
                        unreachableReported = true;
                        AgentLog.info("cannot reach the collector at " + config.get(AgentConfig.ENDPOINT_PROP_NAME) +
                            " (" + error + "); buffering and retrying with backoff");
                    }
                    disconnected();
                }
                else
                {
                    AgentLog.error("connection to " + config.get(AgentConfig.ENDPOINT_PROP_NAME) + " failed", error);
                    closeLink();
                }
            }
        }
        return work;
    }

    private void sendHello()
    {
        state = State.HANDSHAKE;
        handshakeStartNanos = nowNanos;
        final WireWriter writer = control.begin(MessageType.HELLO, 0);
        hello.encode(writer);
        link.channel.writeAndFlush(control.finish(link.channel.alloc()));
        lastWriteNanos = nowNanos;
    }

    private void onWelcome(final Welcome welcome)
    {
        final long journaled = welcome.lastJournaledSequence();
        if (journaled > ackedSequence)
        {
            framesAcked += kept.release(journaled);
            ackedSequence = journaled;
        }
        if (welcome.heartbeatIntervalMillis() > 0)
        {
            heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(welcome.heartbeatIntervalMillis());
        }
        frameLimit = welcome.maxFrameLength() > 0 ? Math.min(config.maxFrameBytes(), welcome.maxFrameLength()) :
            config.maxFrameBytes();
        refitKeptFrames();
        resendUpTo = highestWritten;
        for (long entry = kept.firstEntry(); entry < kept.endEntry(); entry++)
        {
            if (kept.sequence(entry) <= resendUpTo)
            {
                kept.rewriteFlags(entry, Frame.FLAG_RESEND);
            }
        }
        definedOnConnection = 0;
        sendDefines();
        sendCursor = kept.firstEntry();
        state = State.READY;
        backoffNanos = config.reconnectMinNanos();
        nackReported = false;
        unreachableReported = false;
        link.acked = ackedSequence;
        link.channel.flush();
    }

    private void onNack(final Nack nack)
    {
        if (!nackReported)
        {
            nackReported = true;
            AgentLog.info("collector refused " + (nack.refusedSequence() == 0 ? "the connection" :
                "frame " + nack.refusedSequence()) + ": " + nack.reason() + " " + nack.text());
        }
        if (nack.closing())
        {
            closeLink();
        }
    }

    private void sendDefines()
    {
        while (definedOnConnection < series.size())
        {
            final WireWriter writer = control.begin(MessageType.DEFINE, 0, frameLimit);
            defineEncoder.wrap(writer);
            final int first = definedOnConnection;
            while (definedOnConnection < series.size())
            {
                final SeriesTable.Series s = series.get(definedOnConnection);
                if (!defineEncoder.series(s.id(), s.kind(), s.name(), s.unit(), s.keys(), s.values(), s.keys().length))
                {
                    break;
                }
                definedOnConnection++;
            }
            if (definedOnConnection == first)
            {
                // Not even one definition fits the collector's maxFrameLength: skip it rather than loop.
                definedOnConnection++;
                recordsTooLarge++;
                continue;
            }
            defineEncoder.finish();
            link.channel.write(control.finish(link.channel.alloc()));
        }
    }

    private int driveConnection()
    {
        switch (state)
        {
            case DISCONNECTED:
                if (nowNanos - nextAttemptNanos >= 0)
                {
                    connect();
                    return 1;
                }
                return 0;
            case HANDSHAKE:
                if (nowNanos - handshakeStartNanos > Math.max(config.connectTimeoutNanos(), 3 * heartbeatNanos))
                {
                    closeLink();
                    return 1;
                }
                return 0;
            case READY:
                return writeFrames();
            default:
                return 0;
        }
    }

    private void connect()
    {
        connectAttempts++;
        state = State.CONNECTING;
        final Link next = new Link(events);
        link = next;
        final ChannelFuture future = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>()
        {
            @Override
            protected void initChannel(final SocketChannel channel)
            {
                channel.pipeline().addLast(new FrameDecoder(Frame.DEFAULT_MAX_FRAME_LENGTH), next);
            }
        }).connect(config.endpointHost(), config.endpointPort());
        future.addListener(f ->
        {
            if (!f.isSuccess())
            {
                events.offer(new Link.Event(next, f.cause()));
            }
        });
    }

    private void closeLink()
    {
        if (link != null && link.channel != null)
        {
            link.channel.close();
        }
        disconnected();
    }

    private void disconnected()
    {
        if (state == State.CLOSED)
        {
            return;
        }
        if (state == State.READY || state == State.HANDSHAKE)
        {
            reconnects++;
        }
        state = State.DISCONNECTED;
        link = null;
        final long delay = backoffNanos;
        backoffNanos = Math.min(config.reconnectMaxNanos(), backoffNanos * 2);
        nextAttemptNanos = nowNanos + delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    }

    private int writeFrames()
    {
        final Link current = link;
        final Channel channel = current.channel;
        if (nowNanos - current.lastInboundNanos > 3 * heartbeatNanos)
        {
            AgentLog.info("no traffic from the collector for 3 heartbeat intervals; reconnecting");
            closeLink();
            return 1;
        }
        if (sendCursor < kept.firstEntry())
        {
            sendCursor = kept.firstEntry();
        }
        int written = 0;
        while (sendCursor < kept.endEntry() && written < WRITE_LIMIT && channel.isWritable())
        {
            if (definedOnConnection < series.size())
            {
                sendDefines();
            }
            final ByteBuf frame = Unpooled.wrappedBuffer(kept.view(sendCursor));
            final long sequence = kept.sequence(sendCursor);
            channel.write(frame);
            if (sequence <= resendUpTo)
            {
                framesResent++;
            }
            if (sequence > highestWritten)
            {
                highestWritten = sequence;
            }
            framesSent++;
            sendCursor++;
            written++;
        }
        if (written > 0)
        {
            channel.flush();
            lastWriteNanos = nowNanos;
        }
        else if (nowNanos - lastWriteNanos >= heartbeatNanos)
        {
            final WireWriter writer = control.begin(MessageType.HEARTBEAT, 0);
            Heartbeat.encode(writer, nowNanos, current.peerSentAtNanos);
            channel.writeAndFlush(control.finish(channel.alloc()));
            lastWriteNanos = nowNanos;
            written++;
        }
        return written;
    }

    // ---------------------------------------------------------------- for tests and self-telemetry

    /**
     * @return connection attempts so far; any thread.
     */
    public long connectAttempts()
    {
        return connectAttempts;
    }

    /**
     * @return a snapshot of the sender's counters, for tests (read it on the sender thread or after close).
     */
    public Map<String, Long> counters()
    {
        return Map.of("sent", framesSent, "acked", framesAcked, "resent", framesResent, "reconnects", reconnects,
            "lastSequence", lastSequence, "keptFrames", (long)kept.frames(), "deferred", samplesDeferred);
    }
}
