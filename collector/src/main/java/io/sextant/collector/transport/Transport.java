package io.sextant.collector.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Chooses epoll when the native library loads, NIO otherwise, and creates event loop groups.
 */
public final class Transport
{
    private static final boolean EPOLL = epollAvailable();

    private Transport()
    {
    }

    private static boolean epollAvailable()
    {
        try
        {
            return !Boolean.getBoolean("sextant.transport.nio") && Epoll.isAvailable();
        }
        catch (final Throwable t)
        {
            return false;
        }
    }

    /**
     * @return "epoll" or "nio".
     */
    public static String name()
    {
        return EPOLL ? "epoll" : "nio";
    }

    /**
     * @param threads number of event loop threads (0 = Netty's default).
     * @param name    thread name prefix.
     * @return a new group; the caller shuts it down.
     */
    public static EventLoopGroup group(final int threads, final String name)
    {
        final IoHandlerFactory factory = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    /**
     * @return the server channel class matching {@link #group}.
     */
    public static Class<? extends ServerSocketChannel> serverChannel()
    {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
