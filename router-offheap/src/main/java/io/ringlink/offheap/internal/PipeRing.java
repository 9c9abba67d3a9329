package io.ringlink.offheap.internal;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.nio.MappedByteBuffer;

/**
 * One direction of a {@code SharedPipe}: an Agrona {@link OneToOneRingBuffer} over its region of the mapped file,
 * written by one end and read by the other. Each side calls from one thread at a time (the pipe's end locks).
 */
public final class PipeRing
{
    /**
     * The message type id every record carries.
     */
    public static final int MESSAGE_TYPE_ID = 1;

    private final OneToOneRingBuffer ring;
    private final AtomicBuffer records;
    private final int mask;

    /**
     * Maps the ring that an end writes.
     *
     * @param mapped   the whole pipe file.
     * @param writer   the end that writes it.
     * @param capacity its capacity, validated.
     */
    public PipeRing(final MappedByteBuffer mapped, final int writer, final int capacity)
    {
        records = new UnsafeBuffer(mapped, SharedPipeDescriptor.ringOffset(writer, capacity),
            SharedPipeDescriptor.ringLength(capacity));
        ring = new OneToOneRingBuffer(records);
        mask = capacity - 1;
    }

    /**
     * The longest message.
     *
     * @return bytes.
     */
    public int maxMessageLength()
    {
        return ring.maxMsgLength();
    }

    /**
     * Writes one message if there is room now.
     *
     * @param buffer holds it.
     * @param length its length, at most {@link #maxMessageLength()}.
     * @return {@code true} if written.
     */
    public boolean offer(final DirectBuffer buffer, final int length)
    {
        return ring.write(MESSAGE_TYPE_ID, buffer, 0, length);
    }

    /**
     * Hands the next message, if one is waiting, to the handler, and frees it (also if the handler throws).
     *
     * @param handler gets the message.
     * @return 1 if a message was handled, else 0.
     */
    public int receive(final MessageHandler handler)
    {
        final int read = ring.read(handler, 1);
        // a read that reaches the end of the ring frees the padding there alone: the message is at the start
        return read != 0 ? read : ring.read(handler, 1);
    }

    /**
     * Whether a whole message is waiting, without taking it.
     *
     * @return {@code true} if the next {@link #receive(MessageHandler)} hands one.
     */
    public boolean hasMessage()
    {
        final int index = (int)ring.consumerPosition() & mask;
        if (records.getIntVolatile(RecordDescriptor.lengthOffset(index)) <= 0)
        {
            return false;
        }
        return records.getInt(RecordDescriptor.typeOffset(index)) != RingBuffer.PADDING_MSG_TYPE_ID ||
            records.getIntVolatile(RecordDescriptor.lengthOffset(0)) > 0;
    }
}
