package io.ringlink.offheap.internal;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

import java.nio.file.Path;

import static io.ringlink.offheap.internal.IpcRingDescriptor.PRODUCER_OWNER_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.PRODUCER_TAKEOVER_OFFSET;

/**
 * The producer side of a one-to-one ring: one process at a time writes, holding the producer role in the header
 * ({@link ProcessRole}), taken by the first offer (or {@link #takeRole()}) and given back by {@link #release()}. One
 * thread at a time offers, so an offer marks itself in the close gate's producer field (a volatile store) rather than
 * counting itself in.
 */
public final class OneToOneProducer extends RingProducer
{
    private final AtomicBuffer header;
    private final CloseGate gate;
    private final ProcessRole role;

    OneToOneProducer(
        final Path path,
        final AtomicBuffer header,
        final OneToOneRingBuffer ring,
        final int maxSize,
        final CloseGate gate)
    {
        super(path, header, ring, maxSize);
        this.header = header;
        this.gate = gate;
        this.role = new ProcessRole(header, PRODUCER_OWNER_OFFSET, path, "producer");
    }

    @Override
    public boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        checkLength(length);
        gate.enterProducer();
        try
        {
            if (!role.isHeld())
            {
                acquire();
            }
            return write(buffer, offset, length);
        }
        finally
        {
            gate.exitProducer();
        }
    }

    @Override
    public int offerBatch(final DirectBuffer buffer, final int[] offsets, final int[] lengths, final int from,
        final int to)
    {
        gate.enterProducer();
        try
        {
            if (!role.isHeld())
            {
                acquire();
            }
            return writeBatch(buffer, offsets, lengths, from, to);
        }
        finally
        {
            gate.exitProducer();
        }
    }

    @Override
    public void takeRole()
    {
        gate.enterProducer();
        try
        {
            if (!role.isHeld())
            {
                acquire();
            }
        }
        finally
        {
            gate.exitProducer();
        }
    }

    @Override
    public boolean mayUnblock()
    {
        return role.holderPid() == -1;
    }

    @Override
    public void release()
    {
        role.release();
    }

    private void acquire()
    {
        if (role.acquire(""))
        {
            // the dead producer's last claim ends at the tail: say so before writing after it
            header.putLongRelease(PRODUCER_TAKEOVER_OFFSET, ring().producerPosition());
        }
    }
}
