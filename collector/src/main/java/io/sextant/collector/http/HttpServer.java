package io.sextant.collector.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import io.sextant.collector.transport.Transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Netty HTTP/1.1 server around an {@link HttpHandler}. Aggregates bodies up to a limit (413 beyond),
 * gunzips {@code Content-Encoding: gzip} bodies within the same limit, runs the handler on an
 * executor (never on the event loop), and writes its response with keep-alive. When the executor's
 * bounded queue is full the request gets 503 with {@code Retry-After}. A response carrying an
 * {@link EventStream} (server-sent events) gets its head written, chunked, and the connection handed to
 * the stream; the executor is not held while it streams.
 */
public final class HttpServer implements AutoCloseable
{
    /** The event stream a connection carries, once it carries one. */
    private static final AttributeKey<EventStream> STREAM = AttributeKey.valueOf("sextant.http.event-stream");

    private final String name;
    private final HttpHandler handler;
    private final int maxBody;
    private final Executor executor;
    private final Consumer<String> log;
    private Channel channel;

    public HttpServer(final String name, final HttpHandler handler, final int maxBody, final Executor executor,
        final Consumer<String> log)
    {
        this.name = name;
        this.handler = handler;
        this.maxBody = maxBody;
        this.executor = executor;
        this.log = log;
    }

    /**
     * @return the bound port.
     */
    public int start(final EventLoopGroup boss, final EventLoopGroup workers, final String host, final int port)
        throws InterruptedException
    {
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(boss, workers)
            .channel(Transport.serverChannel())
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(maxBody, true))
                        .addLast(new Adapter());
                }
            });
        channel = bootstrap.bind(host, port).sync().channel();
        final int bound = ((InetSocketAddress)channel.localAddress()).getPort();
        log.accept(name + " listening on " + host + ":" + bound);
        return bound;
    }

    private final class Adapter extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest msg)
        {
            if (ctx.channel().attr(STREAM).get() != null)
            {
                return; // the connection carries an event stream now; nothing else is answered on it
            }
            final boolean keepAlive = HttpUtil.isKeepAlive(msg);
            final Request request;
            try
            {
                request = toRequest(msg);
            }
            catch (final BodyTooLarge ex)
            {
                write(ctx, Response.text(413, ex.getMessage()), keepAlive);
                return;
            }
            catch (final IOException ex)
            {
                write(ctx, Response.text(400, "could not read the request body: " + ex.getMessage()), keepAlive);
                return;
            }
            final CompletableFuture<Response> response;
            try
            {
                response = CompletableFuture.supplyAsync(() -> handler.handle(request), executor).thenCompose(f -> f);
            }
            catch (final java.util.concurrent.RejectedExecutionException ex)
            {
                write(ctx, Response.text(503, "too many requests in progress; retry later")
                    .withHeader("Retry-After", "1"), keepAlive);
                return;
            }
            response.whenComplete((answer, error) ->
                {
                    final Response r = error != null ?
                        Response.text(500, "internal error: " + error) : answer;
                    ctx.executor().execute(() -> write(ctx, r, keepAlive));
                });
        }

        @Override
        public void channelWritabilityChanged(final ChannelHandlerContext ctx) throws Exception
        {
            final EventStream stream = ctx.channel().attr(STREAM).get();
            if (stream != null)
            {
                stream.writabilityChanged();
            }
            super.channelWritabilityChanged(ctx);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            if (cause instanceof TooLongFrameException)
            {
                write(ctx, Response.text(413, "request body larger than " + maxBody + " bytes"), false);
            }
            else
            {
                ctx.close();
            }
        }
    }

    private static final class BodyTooLarge extends IOException
    {
        private static final long serialVersionUID = 1L;

        BodyTooLarge(final String message)
        {
            super(message);
        }
    }

    private Request toRequest(final FullHttpRequest msg) throws IOException
    {
        final QueryStringDecoder query = new QueryStringDecoder(msg.uri());
        final Map<String, String> headers = new HashMap<>();
        msg.headers().forEach(e -> headers.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
        byte[] body = new byte[msg.content().readableBytes()];
        msg.content().getBytes(msg.content().readerIndex(), body);
        final String encoding = headers.get("content-encoding");
        if (encoding != null && encoding.equalsIgnoreCase("gzip"))
        {
            body = gunzip(body);
        }
        else if (encoding != null && !encoding.equalsIgnoreCase("identity"))
        {
            throw new IOException("unsupported Content-Encoding '" + encoding + "' (gzip and identity are)");
        }
        return new Request(msg.method().name(), query.path(), query.parameters(), headers, body);
    }

    private byte[] gunzip(final byte[] body) throws IOException
    {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body)))
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream(body.length * 4);
            final byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0)
            {
                out.write(buffer, 0, n);
                if (out.size() > maxBody)
                {
                    throw new BodyTooLarge("decompressed request body larger than " + maxBody + " bytes");
                }
            }
            return out.toByteArray();
        }
    }

    private static void write(final ChannelHandlerContext ctx, final Response r, final boolean keepAlive)
    {
        if (r.stream() != null)
        {
            // Server-sent events: the head now, chunks as events come, until either side closes.
            final HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(r.status()));
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
            r.headers().forEach((k, v) -> head.headers().set(k, v));
            HttpUtil.setTransferEncodingChunked(head, true);
            ctx.channel().attr(STREAM).set(r.stream());
            ctx.writeAndFlush(head);
            r.stream().open(ctx.channel());
            return;
        }
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(r.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        r.headers().forEach((k, v) -> response.headers().set(k, v));
        if (keepAlive)
        {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        }
        else
        {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
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
