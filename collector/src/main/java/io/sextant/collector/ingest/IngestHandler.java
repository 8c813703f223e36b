package io.sextant.collector.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.sextant.collector.journal.JournalClient;
import io.sextant.collector.journal.JournalRecord;
import io.sextant.collector.journal.JournalRing;
import io.sextant.protocol.Ack;
import io.sextant.protocol.Command;
import io.sextant.protocol.CommandResult;
import io.sextant.protocol.DefineDecoder;
import io.sextant.protocol.ErrorCode;
import io.sextant.protocol.Frame;
import io.sextant.protocol.FrameWriter;
import io.sextant.protocol.Heartbeat;
import io.sextant.protocol.Hello;
import io.sextant.protocol.MessageType;
import io.sextant.protocol.MetricsDecoder;
import io.sextant.protocol.Nack;
import io.sextant.protocol.PairCursor;
import io.sextant.protocol.PayloadValidator;
import io.sextant.protocol.ProtocolException;
import io.sextant.protocol.WireReader;
import io.sextant.protocol.Welcome;
import io.sextant.protocol.netty.ByteBufFrames;
import io.sextant.protocol.netty.ByteBufView;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One agent connection: session rules of the protocol on the collector side. Frames arrive already
 * split and CRC-checked by {@code FrameDecoder}; this handler checks the handshake, the series
 * dictionary and the sequence numbers, validates payloads, copies accepted frames into the
 * {@link JournalRing}, and sends a cumulative ACK once the journal writer reports them journaled.
 *
 * <p>What an ACK(n) guarantees: every frame 1..n of the session is in the journal's memory-mapped
 * file, so it survives a crash or {@code kill -9} of the collector; it survives power loss only
 * with {@code sextant.collector.journal-sync=batch}.
 *
 * <p>Threads: everything except the {@link JournalClient} callbacks runs on the channel's event
 * loop. The callbacks run on the journal-writer thread and touch only the session's journaled
 * sequence, {@link #gapSeen} and {@link #ackScheduled}; they hand the ACK to the event loop.
 *
 * <p>Backpressure: when the ring is full the frame is kept, reading stops
 * ({@code autoRead=false}), and the frame is retried when the writer reports progress or after 1 ms.
 */
final class IngestHandler extends ChannelInboundHandlerAdapter implements JournalClient
{
    private static final class Definition
    {
        final long hash;

        Definition(final long hash)
        {
            this.hash = hash;
        }
    }

    private final IngestServer server;
    private final JournalRing ring;
    private final ByteBufView view = new ByteBufView();
    private final PayloadValidator validator = new PayloadValidator();
    private final DefineDecoder defineDecoder = new DefineDecoder();
    private final MetricsDecoder metricsDecoder = new MetricsDecoder();
    private final WireReader reader = new WireReader();
    private final ByteBufFrames frames;
    private final Int2ObjectHashMap<Definition> dictionary = new Int2ObjectHashMap<>();
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    private final AtomicBoolean ackScheduled = new AtomicBoolean();
    private final Runnable ackTask = this::onJournaledProgress;
    private final Runnable retryTask = this::drainPending;
    private volatile boolean gapSeen;

    private ChannelHandlerContext ctx;
    private SessionState session;
    private int slot = -1;
    private long connectionId;
    private long agentMsb;
    private long agentLsb;
    private long sessionId;
    private long lastEnqueued;
    private long lastAckSent;
    private boolean closing;
    private boolean retryScheduled;

    IngestHandler(final IngestServer server)
    {
        this.server = server;
        this.ring = server.ring();
        this.frames = new ByteBufFrames(8192);
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf frame = (ByteBuf)msg;
        if (closing)
        {
            frame.release();
            return;
        }
        if (!pending.isEmpty())
        {
            pending.add(frame);
            return;
        }
        boolean consumed = true;
        try
        {
            consumed = process(frame);
        }
        catch (final ProtocolException ex)
        {
            refuse(Frame.sequence(view.wrap(frame), 0), ex.code(), ex.getMessage());
        }
        finally
        {
            if (consumed)
            {
                frame.release();
            }
        }
        if (!consumed)
        {
            pending.add(frame);
            pause();
        }
    }

    /**
     * @return false when the ring was full and the frame must be retried.
     */
    private boolean process(final ByteBuf frame)
    {
        final DirectBuffer buffer = view.wrap(frame);
        final int length = frame.readableBytes();
        final MessageType type = Frame.type(buffer, 0);
        final long sequence = Frame.sequence(buffer, 0);
        if (session == null)
        {
            if (type != MessageType.HELLO)
            {
                throw new ProtocolException(ErrorCode.HANDSHAKE_REQUIRED,
                    "the first frame on a connection must be HELLO, got " + type);
            }
            return hello(buffer, length);
        }
        session.lastSeenMillis = server.clock().time();
        switch (type)
        {
            case HEARTBEAT:
            {
                reader.wrap(buffer, Frame.HEADER_LENGTH, length);
                final long sentAt = Heartbeat.sentAtNanos(reader);
                Heartbeat.echoNanos(reader);
                Heartbeat.encode(frames.begin(MessageType.HEARTBEAT, 0), server.nanoTime(), sentAt);
                ctx.writeAndFlush(frames.finish(ctx.alloc()), ctx.voidPromise());
                return true;
            }
            case DEFINE:
                return define(buffer, length);
            case METRICS:
            case LOGS:
            case INFERENCE:
            case LABELS:
            case MODEL_EVENT:
            case COMMAND_RESULT:
                return data(type, sequence, buffer, length);
            case NACK:
                return true;
            default:
                throw new ProtocolException(ErrorCode.UNEXPECTED_MESSAGE,
                    type + " is not expected from an agent after the handshake");
        }
    }

    private boolean hello(final DirectBuffer buffer, final int length)
    {
        final Hello hello = Hello.decode(reader.wrap(buffer, Frame.HEADER_LENGTH, length));
        if (!server.tokenAccepted(hello.token()))
        {
            server.authFailures.incrementAndGet();
            throw new ProtocolException(ErrorCode.AUTH_FAILED, hello.token().isEmpty() ?
                "authentication failed: HELLO has no token and this collector requires one " +
                "(set sextant.agent.token to a token listed in sextant.collector.tokens)" :
                "authentication failed: the HELLO token is not accepted by this collector " +
                "(set sextant.agent.token to a token listed in sextant.collector.tokens)");
        }
        slot = ring.register(this);
        if (slot < 0)
        {
            throw new ProtocolException(ErrorCode.OVERLOADED,
                "too many connections (sextant.collector.max-connections); retry later");
        }
        connectionId = server.nextConnectionId();
        agentMsb = hello.agentId().getMostSignificantBits();
        agentLsb = hello.agentId().getLeastSignificantBits();
        sessionId = hello.sessionId();
        final SessionState state = server.sessions().acquire(hello.agentId(), hello.sessionId());
        final IngestHandler previous = state.current;
        state.current = this;
        if (previous != null && previous != this)
        {
            previous.ctx.channel().close();
        }
        state.service = hello.service();
        state.host = hello.host();
        state.pid = hello.pid();
        state.connectionId = connectionId;
        state.connected = true;
        state.lastSeenMillis = server.clock().time();
        session = state;
        lastEnqueued = state.lastJournaled.get();

        // Journal the HELLO without its token, so that replay knows the service of this connection.
        final Hello stripped = new Hello(hello.agentId(), hello.sessionId(), hello.pid(), hello.startTimeMillis(),
            hello.capabilities(), hello.service(), hello.host(), hello.runtime(), hello.agentVersion(), "",
            hello.attributes());
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[Math.max(1024, length + 64)]);
        final FrameWriter writer = new FrameWriter();
        stripped.encode(writer.begin(scratch, 0, scratch.capacity(), MessageType.HELLO, 0));
        final int helloLength = writer.finish();
        if (!enqueue(JournalRecord.KIND_AGENT_FRAME, scratch, helloLength))
        {
            throw new ProtocolException(ErrorCode.OVERLOADED, "the collector journal is full; retry later");
        }
        new Welcome(connectionId, lastEnqueued, server.heartbeatMillis(), server.maxFrameLength(), 0,
            IngestServer.VERSION).encode(frames.begin(MessageType.WELCOME, 0));
        ctx.writeAndFlush(frames.finish(ctx.alloc()), ctx.voidPromise());
        server.log("agent connected: " + hello + " connection " + connectionId + " resumes after sequence " +
            lastEnqueued);
        return true;
    }

    private boolean define(final DirectBuffer buffer, final int length)
    {
        defineDecoder.wrap(buffer, Frame.HEADER_LENGTH, length);
        while (defineDecoder.next())
        {
            final long hash = definitionHash(defineDecoder);
            final Definition existing = dictionary.get(defineDecoder.seriesId());
            if (existing != null && existing.hash != hash)
            {
                throw new ProtocolException(ErrorCode.CONFLICTING_DEFINITION, "series id " +
                    defineDecoder.seriesId() + " was already defined on this connection with a different name, " +
                    "kind, unit or labels (now '" + defineDecoder.name() + "')");
            }
        }
        if (dictionary.size() + defineDecoder.count() > server.maxSeriesPerConnection() &&
            dictionary.size() >= server.maxSeriesPerConnection())
        {
            throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED, "more than " + server.maxSeriesPerConnection() +
                " series defined on one connection");
        }
        if (!enqueue(JournalRecord.KIND_AGENT_FRAME, buffer, length))
        {
            return false;
        }
        defineDecoder.wrap(buffer, Frame.HEADER_LENGTH, length);
        while (defineDecoder.next())
        {
            if (!dictionary.containsKey(defineDecoder.seriesId()))
            {
                dictionary.put(defineDecoder.seriesId(), new Definition(definitionHash(defineDecoder)));
            }
        }
        return true;
    }

    private static long definitionHash(final DefineDecoder d)
    {
        long h = d.kind().code();
        h = h * 31 + d.name().hash64();
        h = h * 31 + d.unit().hash64();
        final PairCursor labels = d.labels();
        while (labels.next())
        {
            h = h * 31 + labels.key().hash64();
            h = h * 31 + labels.text().hash64();
        }
        return h;
    }

    private boolean data(final MessageType type, final long sequence, final DirectBuffer buffer, final int length)
    {
        if (sequence > lastEnqueued && server.behind())
        {
            server.lagPauses.incrementAndGet();
            return false;
        }
        if (sequence <= lastEnqueued)
        {
            session.duplicates.incrementAndGet();
            server.duplicates.incrementAndGet();
            scheduleAck();
            return true;
        }
        if (sequence != lastEnqueued + 1)
        {
            throw new ProtocolException(ErrorCode.SEQUENCE_GAP, "expected sequence " + (lastEnqueued + 1) +
                " but got " + sequence + ": frames were lost; reconnect and resend from the WELCOME's sequence");
        }
        if (type == MessageType.METRICS)
        {
            metricsDecoder.wrap(buffer, Frame.HEADER_LENGTH, length);
            while (metricsDecoder.next())
            {
                if (!dictionary.containsKey(metricsDecoder.seriesId()))
                {
                    throw new ProtocolException(ErrorCode.UNKNOWN_SERIES, "sample for series id " +
                        metricsDecoder.seriesId() + " which is not defined on this connection (send DEFINE first)");
                }
            }
        }
        else
        {
            validator.validate(type, buffer, Frame.HEADER_LENGTH, length);
        }
        if (!enqueue(JournalRecord.KIND_AGENT_FRAME, buffer, length))
        {
            return false;
        }
        lastEnqueued = sequence;
        if (type == MessageType.COMMAND_RESULT)
        {
            // Validated above; hand the result to whoever sent the command.
            server.sessions().commands().completed(CommandResult.decode(reader.wrap(buffer, Frame.HEADER_LENGTH,
                length)));
        }
        session.frames.incrementAndGet();
        server.framesAccepted.incrementAndGet();
        server.bytesAccepted.addAndGet(length);
        return true;
    }

    private boolean enqueue(final int kind, final DirectBuffer body, final int length)
    {
        if (JournalRecord.HEADER_LENGTH + length > ring.maxRecordLength())
        {
            throw new ProtocolException(ErrorCode.FRAME_TOO_LARGE, "frame of " + length +
                " bytes does not fit the journal ring (sextant.collector.ring-size / 8)");
        }
        return ring.offer(kind, slot, connectionId, agentMsb, agentLsb, sessionId, server.clock().time() * 1_000_000L,
            body, 0, length);
    }

    private void pause()
    {
        server.pauses.incrementAndGet();
        ctx.channel().config().setAutoRead(false);
        scheduleRetry();
    }

    private void scheduleRetry()
    {
        if (!retryScheduled)
        {
            retryScheduled = true;
            ctx.executor().schedule(retryTask, 1, TimeUnit.MILLISECONDS);
        }
    }

    private void drainPending()
    {
        retryScheduled = false;
        while (!pending.isEmpty() && !closing)
        {
            final ByteBuf frame = pending.peek();
            boolean consumed = true;
            try
            {
                consumed = process(frame);
            }
            catch (final ProtocolException ex)
            {
                refuse(Frame.sequence(view.wrap(frame), 0), ex.code(), ex.getMessage());
            }
            if (!consumed)
            {
                scheduleRetry();
                return;
            }
            pending.poll().release();
        }
        if (closing)
        {
            releasePending();
            return;
        }
        if (!ctx.channel().config().isAutoRead())
        {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    private void scheduleAck()
    {
        if (ackScheduled.compareAndSet(false, true))
        {
            ctx.executor().execute(ackTask);
        }
    }

    private void onJournaledProgress()
    {
        ackScheduled.set(false);
        if (gapSeen && !closing)
        {
            refuse(0, ErrorCode.SEQUENCE_GAP, "the journal found a sequence gap for this session; reconnect");
            return;
        }
        final long journaled = session == null ? 0 : session.lastJournaled.get();
        if (journaled > lastAckSent && !closing && ctx.channel().isActive())
        {
            lastAckSent = journaled;
            Ack.encode(frames.begin(MessageType.ACK, 0), journaled);
            ctx.writeAndFlush(frames.finish(ctx.alloc()), ctx.voidPromise());
            server.acksSent.incrementAndGet();
        }
        if (!pending.isEmpty())
        {
            drainPending();
        }
    }

    private void refuse(final long sequence, final ErrorCode code, final String text)
    {
        if (closing)
        {
            return;
        }
        closing = true;
        server.refused.incrementAndGet();
        server.log("refusing connection " + connectionId + " (" + ctx.channel().remoteAddress() + "): " + code +
            ": " + text);
        new Nack(sequence, code, true, text).encode(frames.begin(MessageType.NACK, 0));
        ctx.writeAndFlush(frames.finish(ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
        ctx.channel().config().setAutoRead(false);
    }

    /**
     * Writes a COMMAND frame on this connection (any thread; the write happens on the event loop).
     * A failed write fails {@code result}.
     */
    void sendCommand(final Command command, final CompletableFuture<CommandResult> result)
    {
        ctx.executor().execute(() ->
        {
            if (closing || !ctx.channel().isActive())
            {
                result.completeExceptionally(new IllegalStateException("connection " + connectionId + " closed"));
                return;
            }
            command.encode(frames.begin(MessageType.COMMAND, 0));
            ctx.writeAndFlush(frames.finish(ctx.alloc())).addListener(f ->
            {
                if (!f.isSuccess())
                {
                    result.completeExceptionally(f.cause());
                }
            });
        });
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (cause instanceof ProtocolException)
        {
            final ProtocolException ex = (ProtocolException)cause;
            refuse(0, ex.code(), ex.getMessage());
        }
        else
        {
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
    {
        if (evt instanceof IdleStateEvent)
        {
            server.log("connection " + connectionId + " idle for too long; closing");
            ctx.close();
        }
        else
        {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        closing = true;
        releasePending();
        if (session != null)
        {
            if (session.current == this)
            {
                session.current = null;
                session.connected = false;
            }
            server.log("agent connection " + connectionId + " closed (" + session.service + ")");
        }
        if (slot >= 0)
        {
            releaseSlot();
        }
    }

    private void releaseSlot()
    {
        final int kind = session != null ? JournalRecord.KIND_CONNECTION_CLOSED : JournalRecord.KIND_RELEASE;
        if (!ring.offer(kind, slot, connectionId, agentMsb, agentLsb, sessionId, server.clock().time() * 1_000_000L,
            null, 0, 0))
        {
            ctx.executor().schedule(this::releaseSlot, 1, TimeUnit.MILLISECONDS);
        }
    }

    private void releasePending()
    {
        ByteBuf b;
        while ((b = pending.poll()) != null)
        {
            b.release();
        }
    }

    // ---- JournalClient: journal-writer thread ----

    @Override
    public boolean admit(final DirectBuffer buffer, final int offset, final int length)
    {
        if (JournalRecord.kind(buffer, offset) != JournalRecord.KIND_AGENT_FRAME)
        {
            return true;
        }
        final int frame = offset + JournalRecord.HEADER_LENGTH;
        final MessageType type = Frame.type(buffer, frame);
        if (type == null || !type.isSequenced())
        {
            return true;
        }
        final long sequence = Frame.sequence(buffer, frame);
        final long last = session.lastJournaled.get();
        if (sequence == last + 1)
        {
            return true;
        }
        if (sequence > last + 1)
        {
            gapSeen = true;
        }
        return false;
    }

    @Override
    public void journaled(final DirectBuffer buffer, final int offset, final int length)
    {
        final int frame = offset + JournalRecord.HEADER_LENGTH;
        if (JournalRecord.kind(buffer, offset) == JournalRecord.KIND_AGENT_FRAME)
        {
            final MessageType type = Frame.type(buffer, frame);
            if (type != null && type.isSequenced())
            {
                session.lastJournaled.set(Frame.sequence(buffer, frame));
            }
        }
    }

    @Override
    public void batchDone()
    {
        scheduleAck();
    }
}
