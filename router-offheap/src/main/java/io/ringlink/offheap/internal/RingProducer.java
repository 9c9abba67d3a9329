package io.ringlink.offheap.internal;

import io.ringlink.offheap.MessageTooLargeException;
import io.ringlink.offheap.RingKind;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.nio.file.Path;

/**
 * The producer side of a ring file, one class per {@link RingKind} along Agrona's lines: {@link OneToOneProducer}
 * over a {@link OneToOneRingBuffer} (one producing process at a time, holding the producer role) and
 * {@link ManyToOneProducer} over a {@link ManyToOneRingBuffer} (any number of producers). {@link #open} picks the
 * class once, when the ring is opened, so that a ring's offers make one mono- or bimorphic call into a final class.
 * <p>
 * Every record is written the same way ({@link #write}): claimed, copied in, counted just before its commit (the
 * count also checks a queue's {@code maxSize}), then committed; a failed copy or a full queue aborts the claim.
 */
public abstract sealed class RingProducer permits OneToOneProducer, ManyToOneProducer
{
    /**
     * The message type id every record carries in the Agrona ring.
     */
    public static final int MESSAGE_TYPE_ID = 1;

    private final Path path;
    private final RingBuffer ring;
    private final RingCounters counters;
    private final int maxMsgLength;

    RingProducer(final Path path, final AtomicBuffer header, final RingBuffer ring, final int maxSize)
    {
        this.path = path;
        this.ring = ring;
        this.counters = new RingCounters(header, ring, path, ring instanceof OneToOneRingBuffer, maxSize);
        this.maxMsgLength = ring.maxMsgLength();
    }

    /**
     * The producer side of a ring of this kind, with the Agrona ring buffer over its records.
     *
     * @param kind    who may write.
     * @param path    the ring file, for messages.
     * @param header  the file's header.
     * @param records the records and the ring's trailer.
     * @param maxSize the most messages a queue holds, 0 for no limit.
     * @param gate    the ring's close gate, which offers enter.
     * @return the producer side.
     */
    public static RingProducer open(
        final RingKind kind,
        final Path path,
        final AtomicBuffer header,
        final AtomicBuffer records,
        final int maxSize,
        final CloseGate gate)
    {
        return kind == RingKind.ONE_TO_ONE ?
            new OneToOneProducer(path, header, new OneToOneRingBuffer(records), maxSize, gate) :
            new ManyToOneProducer(path, header, new ManyToOneRingBuffer(records), maxSize, gate);
    }

    /**
     * The Agrona ring buffer over the records.
     *
     * @return the ring.
     */
    public final RingBuffer ring()
    {
        return ring;
    }

    /**
     * The file's counters.
     *
     * @return the counters.
     */
    public final RingCounters counters()
    {
        return counters;
    }

    /**
     * Writes one record, copying it from the buffer; does not wait.
     *
     * @param buffer holds the record.
     * @param offset where it starts.
     * @param length its length.
     * @return {@code true} if written, {@code false} if the ring (or the queue's {@code maxSize}) has no room now.
     * @throws MessageTooLargeException if the record is too long; nothing is written.
     * @throws IllegalStateException    if the ring is closed, or another process holds a one-to-one ring's producer
     *                                  role.
     */
    public abstract boolean offer(DirectBuffer buffer, int offset, int length);

    /**
     * Writes records one after the other while there is room; see {@code IpcRing.offerBatch}.
     *
     * @param buffer  holds the records.
     * @param offsets where each starts.
     * @param lengths the length of each.
     * @param from    the first record to write.
     * @param to      the end, exclusive.
     * @return the number written.
     */
    public abstract int offerBatch(DirectBuffer buffer, int[] offsets, int[] lengths, int from, int to);

    /**
     * Takes the producer role of a one-to-one ring now, if this object does not hold it; nothing for many-to-one.
     *
     * @throws ProcessRole.RoleHeldException if a live process (or another ring object in this one) holds it.
     * @throws IllegalStateException         if the ring is closed.
     */
    public abstract void takeRole();

    /**
     * Whether a consumer may skip a record left half-written for the unblock timeout: always in a many-to-one ring
     * (any producer may have died mid-record), in a one-to-one ring only once its producer's process is gone.
     *
     * @return {@code true} if it may.
     */
    public abstract boolean mayUnblock();

    /**
     * Gives back the producer role, if held.
     */
    public abstract void release();

    /**
     * Checks a record length against the ring's longest record.
     *
     * @param length the length.
     * @throws MessageTooLargeException if it is over.
     * @throws IllegalArgumentException if it is negative.
     */
    public final void checkLength(final int length)
    {
        if (length > maxMsgLength)
        {
            throw new MessageTooLargeException(length, maxMsgLength, path);
        }
        if (length < 0)
        {
            throw new IllegalArgumentException("length=" + length + " must not be negative");
        }
    }

    /**
     * Claims, copies, counts and commits one record, within an offer.
     *
     * @return {@code false} if the ring had no room or the queue's {@code maxSize} was reached.
     */
    final boolean write(final DirectBuffer buffer, final int offset, final int length)
    {
        final RingBuffer ring = this.ring;
        final int index = ring.tryClaim(MESSAGE_TYPE_ID, length);
        if (index < 0)
        {
            return false;
        }
        try
        {
            ring.buffer().putBytes(index, buffer, offset, length);
        }
        catch (final RuntimeException ex)
        {
            ring.abort(index);
            throw ex;
        }
        if (!counters.countProduced())
        {
            ring.abort(index);
            return false;
        }
        ring.commit(index);
        return true;
    }

    /**
     * Checks and writes records {@code from} to {@code to} while there is room, within an offer.
     *
     * @return the number written.
     */
    final int writeBatch(final DirectBuffer buffer, final int[] offsets, final int[] lengths, final int from,
        final int to)
    {
        int i = from;
        while (i < to)
        {
            checkLength(lengths[i]);
            if (!write(buffer, offsets[i], lengths[i]))
            {
                break;
            }
            i++;
        }
        return i - from;
    }
}
