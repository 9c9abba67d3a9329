package io.ringlink.offheap.internal;

import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.time.Instant;

/**
 * What a ring file says about itself, for callers beside the data path (a queue's {@code size()}, the
 * {@code ringlink stat} command, tests): each read counts itself in the close gate, so that it never reads a file
 * that a close unmapped meanwhile, and raises {@link IllegalStateException} once the ring is closed. The counts are
 * {@link RingCounters}'s, exact also after {@code kill -9} of any process.
 * <p>
 * Thread-safe.
 */
public final class RingStatus
{
    private final CloseGate gate;
    private final RingBuffer ring;
    private final RingCounters counters;
    private final RingConsumer consumer;
    private final RingReader reader;

    /**
     * The status of a ring.
     *
     * @param gate     its close gate.
     * @param ring     the Agrona ring over its records.
     * @param counters its counters.
     * @param consumer its consumer side in this process.
     */
    public RingStatus(final CloseGate gate, final RingBuffer ring, final RingCounters counters,
        final RingConsumer consumer)
    {
        this.gate = gate;
        this.ring = ring;
        this.counters = counters;
        this.consumer = consumer;
        this.reader = consumer.reader();
    }

    /**
     * Records produced since the file was created.
     *
     * @return the count.
     */
    public long produced()
    {
        gate.enter();
        try
        {
            return counters.produced();
        }
        finally
        {
            gate.exit();
        }
    }

    /**
     * Records taken (freed) since the file was created.
     *
     * @return the count.
     */
    public long consumed()
    {
        gate.enter();
        try
        {
            return counters.consumed();
        }
        finally
        {
            gate.exit();
        }
    }

    /**
     * Records in the ring: produced minus consumed.
     *
     * @return the count.
     */
    public long size()
    {
        gate.enter();
        try
        {
            return counters.size();
        }
        finally
        {
            gate.exit();
        }
    }

    /**
     * Bytes free for records.
     *
     * @return free bytes.
     */
    public int remainingBytes()
    {
        gate.enter();
        try
        {
            return ring.capacity() - ring.size();
        }
        finally
        {
            gate.exit();
        }
    }

    /**
     * Half-written records of dead producers that consumers skipped.
     *
     * @return the count.
     */
    public long unblocked()
    {
        gate.enter();
        try
        {
            return counters.unblocked();
        }
        finally
        {
            gate.exit();
        }
    }

    /**
     * The last heartbeat of the consumer.
     *
     * @return the instant, or {@code null} if no consumer ever read.
     */
    public Instant consumerHeartbeat()
    {
        gate.enter();
        try
        {
            return consumer.heartbeat();
        }
        finally
        {
            gate.exit();
        }
    }

    /**
     * The live process holding the consumer role.
     *
     * @return its pid, or {@code -1}.
     */
    public long consumerPid()
    {
        gate.enter();
        try
        {
            return consumer.holderPid();
        }
        finally
        {
            gate.exit();
        }
    }

    /**
     * Counts one task done (a queue's {@code taskDone()}).
     *
     * @throws IllegalStateException if as many tasks are done as records were taken, naming both.
     */
    public void taskDone()
    {
        gate.enter();
        try
        {
            counters.taskDone();
        }
        finally
        {
            gate.exit();
        }
    }

    /**
     * Records put and not yet done: produced minus tasks done.
     *
     * @return the count.
     */
    public long unfinished()
    {
        gate.enter();
        try
        {
            return counters.unfinished();
        }
        finally
        {
            gate.exit();
        }
    }

    /**
     * Records not yet handed to this process's consumer: all records not taken when it has not read yet.
     *
     * @return the count.
     */
    public long unread()
    {
        gate.enter();
        try
        {
            return Math.max(0, counters.produced() - (consumer.isExclusive() ? reader.readCount() :
                counters.consumed()));
        }
        finally
        {
            gate.exit();
        }
    }

    /**
     * Whether records are waiting to be read, by the ring's positions: from this consumer's read position when it is
     * the exclusive consumer, else from the ring's head.
     *
     * @return {@code true} if the producers are ahead.
     */
    public boolean hasRecords()
    {
        gate.enter();
        try
        {
            return ring.producerPosition() > (consumer.isExclusive() ? reader.readPosition() :
                ring.consumerPosition());
        }
        finally
        {
            gate.exit();
        }
    }
}
