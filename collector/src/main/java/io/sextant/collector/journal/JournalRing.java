package io.sextant.collector.journal;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The producer side of the journal: a bounded many-to-one ring buffer (off-heap) that ingest threads
 * fill with records for the single {@link JournalWriter}, and the table of {@link JournalClient}
 * slots that lets the writer report back. Full ring = backpressure: {@link #offer} returns false and
 * the caller stops reading from its socket.
 *
 * <p>Thread-safe for producers. A client slot is released through the ring itself, so the writer
 * never sees a slot reused while records of its previous owner are still queued.
 */
public final class JournalRing
{
    private final ManyToOneRingBuffer ring;
    private final AtomicReferenceArray<JournalClient> clients;
    private final ConcurrentLinkedQueue<Integer> freeSlots = new ConcurrentLinkedQueue<>();
    private final AtomicLong refusedFull = new AtomicLong();
    private final AtomicLong offered = new AtomicLong();
    private final WakeableIdle writerIdle = new WakeableIdle(() -> ring().size() > 0);

    /**
     * @param capacityBytes ring size, rounded down to a power of two.
     * @param maxClients    most clients registered at once.
     */
    public JournalRing(final long capacityBytes, final int maxClients)
    {
        final int capacity = Integer.highestOneBit((int)Math.min(1 << 30, capacityBytes));
        ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
        clients = new AtomicReferenceArray<>(maxClients);
        for (int i = 0; i < maxClients; i++)
        {
            freeSlots.add(i);
        }
    }

    ManyToOneRingBuffer ring()
    {
        return ring;
    }

    /**
     * @param client the client.
     * @return its slot, or -1 when every slot is taken.
     */
    public int register(final JournalClient client)
    {
        final Integer slot = freeSlots.poll();
        if (slot == null)
        {
            return -1;
        }
        clients.set(slot, client);
        return slot;
    }

    JournalClient client(final int slot)
    {
        return slot >= 0 && slot < clients.length() ? clients.get(slot) : null;
    }

    void free(final int slot)
    {
        if (slot >= 0 && slot < clients.length() && clients.getAndSet(slot, null) != null)
        {
            freeSlots.add(slot);
        }
    }

    /**
     * @return the largest record (header included) the ring accepts.
     */
    public int maxRecordLength()
    {
        return ring.maxMsgLength();
    }

    /**
     * Claims space for a record; the caller fills the header and body at the returned index and then
     * calls {@link #commit}.
     *
     * @param kind   {@link JournalRecord} kind.
     * @param length record length, header included.
     * @return index to write at, or a negative value when the ring is full (backpressure).
     */
    public int tryClaim(final int kind, final int length)
    {
        final int index = ring.tryClaim(kind, length);
        if (index < 0)
        {
            refusedFull.incrementAndGet();
        }
        return index;
    }

    /**
     * @return the ring's buffer, to write a claimed record into.
     */
    public UnsafeBuffer buffer()
    {
        return (UnsafeBuffer)ring.buffer();
    }

    public void commit(final int index)
    {
        ring.commit(index);
        offered.incrementAndGet();
        writerIdle.wake();
    }

    /**
     * @return the journal writer's idle strategy, which producers wake when they commit.
     */
    public WakeableIdle writerIdle()
    {
        return writerIdle;
    }

    /**
     * Offers a record made of a header and a body copied from {@code body}.
     *
     * @return false when the ring is full.
     */
    public boolean offer(
        final int kind, final int slot, final long connectionId, final long agentMsb, final long agentLsb,
        final long sessionId, final long receivedNanos, final DirectBuffer body, final int bodyOffset,
        final int bodyLength)
    {
        final int index = tryClaim(kind, JournalRecord.HEADER_LENGTH + bodyLength);
        if (index < 0)
        {
            return false;
        }
        final UnsafeBuffer buffer = buffer();
        JournalRecord.putHeader(buffer, index, kind, slot, connectionId, agentMsb, agentLsb, sessionId, receivedNanos);
        if (bodyLength > 0)
        {
            buffer.putBytes(index + JournalRecord.HEADER_LENGTH, body, bodyOffset, bodyLength);
        }
        commit(index);
        return true;
    }

    /**
     * @return bytes waiting in the ring.
     */
    public int sizeBytes()
    {
        return ring.size();
    }

    public int capacityBytes()
    {
        return ring.capacity();
    }

    /**
     * @return how often a producer found the ring full.
     */
    public long refusedFull()
    {
        return refusedFull.get();
    }

    public long offered()
    {
        return offered.get();
    }
}
