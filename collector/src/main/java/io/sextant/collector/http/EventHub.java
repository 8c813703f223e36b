package io.sextant.collector.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Server-sent events to any number of HTTP clients ({@code text/event-stream}). {@link #publish} may be
 * called on any thread and never blocks: each client has a bounded queue of events; a client whose
 * queue is full (it reads more slowly than events come) is dropped, its connection closed, rather than
 * holding up the publisher. Each client's queue is drained on its connection's event loop, only while
 * the connection is writable, so a slow reader costs at most its queue and the socket's buffers.
 *
 * <p>Every client gets a {@code heartbeat} event at a fixed interval, which also finds connections the
 * other side has left. A closed connection (the browser navigated away) is forgotten at once.
 */
public final class EventHub implements AutoCloseable
{
    /** What a client is told to wait before reconnecting, in milliseconds. */
    static final long RETRY_MILLIS = 2_000;

    private final int queueCapacity;
    private final LongSupplier clock;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param queueCapacity events held per client before it is dropped.
     * @param clock         wall clock (Unix millis) for heartbeats.
     */
    public EventHub(final int queueCapacity, final LongSupplier clock)
    {
        if (queueCapacity < 1)
        {
            throw new IllegalArgumentException("queueCapacity must be at least 1: " + queueCapacity);
        }
        this.queueCapacity = queueCapacity;
        this.clock = clock;
    }

    /**
     * @param heartbeatMillis interval of the heartbeat events.
     * @param hello           data (JSON) of the first event, {@code hello}, sent as soon as the stream opens.
     * @return the answer that opens a stream for one client.
     */
    public Response subscribe(final long heartbeatMillis, final String hello)
    {
        if (closed)
        {
            return Response.text(503, "the collector is stopping\n");
        }
        return Response.eventStream(new Client(heartbeatMillis, "retry: " + RETRY_MILLIS + "\n" + frame("hello", hello)));
    }

    /**
     * Sends an event to every client connected now. Any thread; never blocks.
     *
     * @param event the event name (the browser's {@code addEventListener} type).
     * @param data  the event data, usually one line of JSON.
     */
    public void publish(final String event, final String data)
    {
        if (clients.isEmpty())
        {
            return;
        }
        published.incrementAndGet();
        final String text = frame(event, data);
        for (final Client c : clients)
        {
            c.offer(text);
        }
    }

    /** @return true when at least one client is connected (callers may skip building events otherwise). */
    public boolean hasClients()
    {
        return !clients.isEmpty();
    }

    /** @return clients connected now. */
    public int clients()
    {
        return clients.size();
    }

    /** @return streams opened since start. */
    public long opened()
    {
        return opened.get();
    }

    /** @return clients dropped because their queue was full. */
    public long dropped()
    {
        return dropped.get();
    }

    /** @return events published while at least one client was connected. */
    public long published()
    {
        return published.get();
    }

    /** Ends every stream. */
    @Override
    public void close()
    {
        closed = true;
        for (final Client c : clients)
        {
            c.channel.close();
        }
        clients.clear();
    }

    /** One event in the wire format: the name, then the data, one {@code data:} line per line. */
    static String frame(final String event, final String data)
    {
        final StringBuilder s = new StringBuilder(data.length() + event.length() + 16);
        s.append("event: ").append(event).append('\n');
        for (final String line : data.split("\r\n|\r|\n", -1))
        {
            s.append("data: ").append(line).append('\n');
        }
        return s.append('\n').toString();
    }

    /** One connected client: its queue, its connection and its heartbeat. */
    private final class Client implements EventStream
    {
        private final long heartbeatMillis;
        private final String first;
        private final ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<>(queueCapacity);
        private final AtomicBoolean drainScheduled = new AtomicBoolean();
        private final AtomicBoolean gone = new AtomicBoolean();
        private volatile Channel channel;
        private ScheduledFuture<?> heartbeat;

        Client(final long heartbeatMillis, final String first)
        {
            this.heartbeatMillis = heartbeatMillis;
            this.first = first;
        }

        @Override
        public void open(final Channel ch)
        {
            channel = ch;
            if (closed)
            {
                ch.close();
                return;
            }
            opened.incrementAndGet();
            clients.add(this);
            heartbeat = ch.eventLoop().scheduleAtFixedRate(
                () -> offer(frame("heartbeat", "{\"time\":" + clock.getAsLong() / 1000.0 + "}")),
                heartbeatMillis, heartbeatMillis, TimeUnit.MILLISECONDS);
            // Registered after the heartbeat, so that a connection already closed cancels it too.
            ch.closeFuture().addListener(f -> leave());
            offer(first);
        }

        @Override
        public void writabilityChanged()
        {
            drain();
        }

        void offer(final String text)
        {
            final Channel ch = channel;
            if (ch == null || gone.get())
            {
                return;
            }
            if (!queue.offer(text))
            {
                // Too slow: drop it rather than wait for it, or hold more for it.
                if (gone.compareAndSet(false, true))
                {
                    dropped.incrementAndGet();
                    clients.remove(this);
                    queue.clear();
                    ch.close();
                }
                return;
            }
            if (drainScheduled.compareAndSet(false, true))
            {
                ch.eventLoop().execute(this::drain);
            }
        }

        private void drain()
        {
            drainScheduled.set(false);
            final Channel ch = channel;
            boolean wrote = false;
            while (ch.isActive() && ch.isWritable())
            {
                final String text = queue.poll();
                if (text == null)
                {
                    break;
                }
                ch.write(new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
                wrote = true;
            }
            if (wrote)
            {
                ch.flush();
            }
        }

        private void leave()
        {
            gone.set(true);
            clients.remove(this);
            queue.clear();
            if (heartbeat != null)
            {
                heartbeat.cancel(false);
            }
        }
    }
}
