package io.sextant.agent.ship;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sextant.protocol.Ack;
import io.sextant.protocol.Command;
import io.sextant.protocol.Frame;
import io.sextant.protocol.Heartbeat;
import io.sextant.protocol.MessageType;
import io.sextant.protocol.Nack;
import io.sextant.protocol.Welcome;
import io.sextant.protocol.WireReader;
import io.sextant.protocol.netty.ByteBufView;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * One connection to the collector, as seen from Netty's I/O thread: decodes the collector's frames
 * and hands them to the sender thread. ACKs and heartbeats only update volatile fields (the hot
 * inbound traffic allocates nothing); WELCOME, NACK, COMMAND and the connection's end go through
 * the event queue. Releases every frame it receives.
 *
 * <p>Threads: written by the channel's event loop; read by the sender thread.
 */
final class Link extends ChannelInboundHandlerAdapter
{
    /** An event for the sender thread. */
    record Event(Link link, Object payload)
    {
    }

    /** Payload of the event that reports the connection closed. */
    static final Object CLOSED = new Object();
    /** Payload of the event that reports the connection open. */
    static final Object OPEN = new Object();

    private final ManyToOneConcurrentArrayQueue<Event> events;
    private final ByteBufView view = new ByteBufView();
    private final WireReader reader = new WireReader();
    volatile Channel channel;
    volatile long acked;
    volatile long lastInboundNanos = System.nanoTime();
    volatile long peerSentAtNanos;

    Link(final ManyToOneConcurrentArrayQueue<Event> events)
    {
        this.events = events;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        channel = ctx.channel();
        lastInboundNanos = System.nanoTime();
        events.offer(new Event(this, OPEN));
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        offer(CLOSED);
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf frame = (ByteBuf)msg;
        try
        {
            lastInboundNanos = System.nanoTime();
            final DirectBuffer buffer = view.wrap(frame);
            final int length = Frame.length(buffer, 0);
            final MessageType type = Frame.type(buffer, 0);
            reader.wrap(buffer, Frame.HEADER_LENGTH, length);
            if (type == MessageType.ACK)
            {
                final long ack = Ack.decode(reader);
                if (ack > acked)
                {
                    acked = ack;
                }
            }
            else if (type == MessageType.HEARTBEAT)
            {
                peerSentAtNanos = Heartbeat.sentAtNanos(reader);
            }
            else if (type == MessageType.WELCOME)
            {
                offer(Welcome.decode(reader));
            }
            else if (type == MessageType.NACK)
            {
                offer(Nack.decode(reader));
            }
            else if (type == MessageType.COMMAND)
            {
                offer(Command.decode(reader));
            }
        }
        catch (final RuntimeException ex)
        {
            offer(ex);
            ctx.close();
        }
        finally
        {
            frame.release();
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        offer(cause);
        ctx.close();
    }

    private void offer(final Object payload)
    {
        if (!events.offer(new Event(this, payload)))
        {
            // The sender is far behind; a lost WELCOME or COMMAND is recovered by the dead-connection check.
            channel.close();
        }
    }
}
