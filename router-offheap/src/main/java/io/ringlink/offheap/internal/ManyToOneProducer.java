package io.ringlink.offheap.internal;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

import java.nio.file.Path;

/**
 * The producer side of a many-to-one ring: any number of threads in any number of processes offer at once (Agrona's
 * {@link ManyToOneRingBuffer} claims with a compare-and-set), with no producer role; each offer counts itself in the
 * close gate.
 */
public final class ManyToOneProducer extends RingProducer
{
    private final CloseGate gate;

    ManyToOneProducer(
        final Path path,
        final AtomicBuffer header,
        final ManyToOneRingBuffer ring,
        final int maxSize,
        final CloseGate gate)
    {
        super(path, header, ring, maxSize);
        this.gate = gate;
    }

    @Override
    public boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        checkLength(length);
        gate.enter();
        try
        {
            return write(buffer, offset, length);
        }
        finally
        {
            gate.exit();
        }
    }

    @Override
    public int offerBatch(final DirectBuffer buffer, final int[] offsets, final int[] lengths, final int from,
        final int to)
    {
        gate.enter();
        try
        {
            return writeBatch(buffer, offsets, lengths, from, to);
        }
        finally
        {
            gate.exit();
        }
    }

    @Override
    public void takeRole()
    {
        // many producers: no role to take
    }

    @Override
    public boolean mayUnblock()
    {
        return true;
    }

    @Override
    public void release()
    {
        // no role held
    }
}
