package io.sextant.agent.it.apps;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Uses the application's own Netty (4.1 in the system test) for a loopback echo, with only API
 * that Netty 4.1 and 4.2 share, and prints the Netty version it runs on.
 */
final class NettyWork
{
    private static boolean done;

    private NettyWork()
    {
    }

    @SuppressWarnings("deprecation")
    static void run()
    {
        if (done)
        {
            return;
        }
        done = true;
        final NioEventLoopGroup group = new NioEventLoopGroup(1);
        try
        {
            final Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter()
                        {
                            @Override
                            public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                            {
                                ctx.writeAndFlush(msg);
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
            final CompletableFuture<String> echo = new CompletableFuture<>();
            final Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter()
                {
                    @Override
                    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                    {
                        final ByteBuf buf = (ByteBuf)msg;
                        echo.complete(buf.toString(StandardCharsets.UTF_8));
                        buf.release();
                    }
                }).connect(server.localAddress()).syncUninterruptibly().channel();
            client.writeAndFlush(Unpooled.copiedBuffer("ping", StandardCharsets.UTF_8));
            System.out.println("NETTY-ECHO " + echo.get(10, TimeUnit.SECONDS) + " version=" +
                io.netty.util.Version.identify().get("netty-transport").artifactVersion());
            client.close().syncUninterruptibly();
            server.close().syncUninterruptibly();
        }
        catch (final Exception ex)
        {
            System.out.println("NETTY-ECHO FAILED " + ex);
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
