package io.ringlink.offheap.internal;

import io.ringlink.offheap.RecordHandler;

/**
 * The calls into a ring's consumer side ({@link RingConsumer}, its {@link RingReader}), each marked in the close
 * gate's consumer field for as long as it runs (a volatile store and a volatile read, see {@link CloseGate}), so that
 * a close from another thread waits for it, bounded, and never unmaps the file under it; once the ring is closed each
 * raises {@link IllegalStateException}.
 * <p>
 * Not thread-safe: the consumer's calls come from one thread at a time.
 */
public final class GatedConsumer
{
    private final CloseGate gate;
    private final RingConsumer consumer;
    private final RingReader reader;

    /**
     * The gated calls of a consumer side.
     *
     * @param gate     the ring's close gate.
     * @param consumer its consumer side.
     */
    public GatedConsumer(final CloseGate gate, final RingConsumer consumer)
    {
        this.gate = gate;
        this.consumer = consumer;
        this.reader = consumer.reader();
    }

    /**
     * As the exclusive consumer, hands up to {@code limit} records ({@link RingConsumer#read}).
     *
     * @param handler receives each record.
     * @param limit   the most records.
     * @param free    whether to free them when the call returns.
     * @return the number handed.
     */
    public int read(final RecordHandler handler, final int limit, final boolean free)
    {
        gate.enterConsumer();
        try
        {
            return consumer.read(handler, limit, free);
        }
        finally
        {
            gate.exitConsumer();
        }
    }

    /**
     * Takes one record as one of any number of takers ({@link RingConsumer#take(RecordHandler)}).
     *
     * @param handler receives the record; must not keep the buffer.
     * @return 1 if a record was taken, 0 if none is waiting, {@link RingConsumer#TAKE_BUSY} if the lock is held.
     */
    public int take(final RecordHandler handler)
    {
        gate.enterConsumer();
        try
        {
            return consumer.take(handler);
        }
        finally
        {
            gate.exitConsumer();
        }
    }

    /**
     * Takes the exclusive consumer role, if not held.
     *
     * @throws ProcessRole.RoleHeldException if a live process (or another ring object in this one) holds it.
     */
    public void acquireExclusive()
    {
        gate.enterConsumer();
        try
        {
            consumer.acquireExclusive();
        }
        finally
        {
            gate.exitConsumer();
        }
    }

    /**
     * Frees the records before a read position.
     *
     * @param position from {@link RingReader#readPosition()}.
     */
    public void freeTo(final long position)
    {
        gate.enterConsumer();
        try
        {
            reader.freeTo(position);
        }
        finally
        {
            gate.exitConsumer();
        }
    }

    /**
     * Frees the records before a read position whose count the caller kept, without walking them again
     * ({@link RingReader#freeTo(long, long)}).
     *
     * @param position from {@link RingReader#readPosition()}.
     * @param count    {@link RingReader#readCount()} as it was at that position.
     */
    public void freeTo(final long position, final long count)
    {
        gate.enterConsumer();
        try
        {
            reader.freeTo(position, count);
        }
        finally
        {
            gate.exitConsumer();
        }
    }

    /**
     * Frees every record handed so far.
     */
    public void freeAll()
    {
        gate.enterConsumer();
        try
        {
            reader.freeAll();
        }
        finally
        {
            gate.exitConsumer();
        }
    }

    /**
     * Moves the read position back, so that the records handed but not freed are handed again.
     */
    public void rewind()
    {
        gate.enterConsumer();
        try
        {
            reader.rewind();
        }
        finally
        {
            gate.exitConsumer();
        }
    }
}
