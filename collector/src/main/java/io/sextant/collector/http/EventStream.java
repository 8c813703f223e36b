package io.sextant.collector.http;

import io.netty.channel.Channel;

/**
 * The writer behind a server-sent event answer ({@link Response#eventStream}). The HTTP server writes
 * the response head, then calls {@link #open} on the connection's event loop; from then on the
 * connection belongs to the stream until either side closes it.
 */
public interface EventStream
{
    /**
     * The head is written; the stream may write chunks to the channel from now on (on its event loop).
     */
    void open(Channel channel);

    /**
     * The channel's writability changed (called on its event loop): a stream that stopped writing
     * because the client is slow resumes here.
     */
    void writabilityChanged();
}
