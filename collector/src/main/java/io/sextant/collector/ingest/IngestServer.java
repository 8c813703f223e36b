package io.sextant.collector.ingest;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.sextant.collector.journal.JournalRing;
import io.sextant.collector.transport.Transport;
import io.sextant.protocol.netty.FrameDecoder;
import org.agrona.concurrent.EpochClock;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The binary protocol server (default port 4710). Pipeline per connection: idle timeout, then
 * {@link FrameDecoder} with the configured maximum frame length, then an {@link IngestHandler}.
 */
public final class IngestServer implements AutoCloseable
{
    /** Collector version sent in WELCOME. */
    public static final String VERSION = "0.1.0-SNAPSHOT";

    private final JournalRing ring;
    private final Sessions sessions;
    private final Set<String> tokens;
    private final int maxFrameLength;
    private final int heartbeatMillis;
    private final EpochClock clock;
    private final Consumer<String> log;
    private final AtomicLong connectionCounter = new AtomicLong();
    private Channel channel;

    final AtomicLong framesAccepted = new AtomicLong();
    final AtomicLong bytesAccepted = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong authFailures = new AtomicLong();
    final AtomicLong acksSent = new AtomicLong();
    final AtomicLong pauses = new AtomicLong();
    final AtomicLong lagPauses = new AtomicLong();
    private volatile java.util.function.BooleanSupplier behind = () -> false;

    public IngestServer(
        final JournalRing ring, final Sessions sessions, final Set<String> tokens, final int maxFrameLength,
        final int heartbeatMillis, final EpochClock clock, final Consumer<String> log)
    {
        this.ring = ring;
        this.sessions = sessions;
        this.tokens = Set.copyOf(tokens);
        this.maxFrameLength = maxFrameLength;
        this.heartbeatMillis = heartbeatMillis;
        this.clock = clock;
        this.log = log;
    }

    /**
     * Binds the server.
     *
     * @return the bound port.
     */
    public int start(final EventLoopGroup boss, final EventLoopGroup workers, final String host, final int port)
        throws InterruptedException
    {
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(boss, workers)
            .channel(Transport.serverChannel())
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline()
                        .addLast("idle", new IdleStateHandler(Math.max(3L * heartbeatMillis, 1000), 0, 0,
                            TimeUnit.MILLISECONDS))
                        .addLast("frames", new FrameDecoder(maxFrameLength))
                        .addLast("session", new IngestHandler(IngestServer.this));
                }
            });
        channel = bootstrap.bind(host, port).sync().channel();
        final int bound = ((InetSocketAddress)channel.localAddress()).getPort();
        log.accept("ingest listening on " + host + ":" + bound + " (" + Transport.name() + ")");
        return bound;
    }

    JournalRing ring()
    {
        return ring;
    }

    Sessions sessions()
    {
        return sessions;
    }

    EpochClock clock()
    {
        return clock;
    }

    long nanoTime()
    {
        return System.nanoTime();
    }

    int heartbeatMillis()
    {
        return heartbeatMillis;
    }

    int maxFrameLength()
    {
        return maxFrameLength;
    }

    int maxSeriesPerConnection()
    {
        return 1 << 20;
    }

    boolean tokenAccepted(final String token)
    {
        return tokens.isEmpty() || tokens.contains(token);
    }

    long nextConnectionId()
    {
        return (clock.time() << 20) | (connectionCounter.incrementAndGet() & 0xFFFFF);
    }

    void log(final String message)
    {
        log.accept(message);
    }

    public long framesAccepted()
    {
        return framesAccepted.get();
    }

    public long bytesAccepted()
    {
        return bytesAccepted.get();
    }

    public long duplicates()
    {
        return duplicates.get();
    }

    /**
     * @return connections refused with a NACK (bad frames, auth, gaps).
     */
    public long refused()
    {
        return refused.get();
    }

    public long authFailures()
    {
        return authFailures.get();
    }

    public long acksSent()
    {
        return acksSent.get();
    }

    /**
     * @return how often a connection stopped reading because the journal ring was full.
     */
    /**
     * Sets the check that says the stages after the journal (store, analysis) are too far behind: while
     * it answers true, connections stop reading data frames, exactly as when the journal ring is full.
     */
    public void downstreamBehind(final java.util.function.BooleanSupplier behind)
    {
        this.behind = behind;
    }

    boolean behind()
    {
        return behind.getAsBoolean();
    }

    /**
     * @return times a data frame waited because the store or the analysis was too far behind.
     */
    public long lagPauses()
    {
        return lagPauses.get();
    }

    public long pauses()
    {
        return pauses.get();
    }

    @Override
    public void close()
    {
        if (channel != null)
        {
            channel.close().syncUninterruptibly();
        }
    }
}
