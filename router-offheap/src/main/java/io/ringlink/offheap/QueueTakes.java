package io.ringlink.offheap;

import io.ringlink.MessageHandler;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The take side of a {@link SharedQueue}: one record at a time under the ring's take lock, copied out of the file so
 * that the lock is given back before decoding; and, for a router reading the queue, the at-least-once reads of the
 * exclusive consumer ({@link SourceDecoder}). The threads of this JVM taking from one queue object take turns on a
 * lock (the copy buffer is shared); the takes of all processes are serialised by the take lock in the file. A
 * blocking take polls with {@link RingWaits#pause(int)}, allocating nothing but the decoded element.
 *
 * @param <T> type of element.
 */
final class QueueTakes<T>
{
    private final IpcRing ring;
    private final Codec<T> codec;
    private final ReentrantLock lock = new ReentrantLock();
    private final Copier copier = new Copier();
    private final SourceDecoder<T> sourceDecoder;

    QueueTakes(final IpcRing ring, final Codec<T> codec)
    {
        this.ring = ring;
        this.codec = codec;
        this.sourceDecoder = new SourceDecoder<>(ring, codec);
    }

    /**
     * Takes the head element if there is one and no live process holds the take lock, without waiting (see
     * {@link SharedQueue#poll()}).
     */
    T poll()
    {
        lock.lock();
        try
        {
            return ring.take(copier) > 0 ? decodeTaken() : null;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Takes the head element, waiting up to the timeout ({@link Long#MAX_VALUE} for ever) for one.
     */
    T poll(final long timeoutNs) throws InterruptedException
    {
        final long deadline = RingWaits.deadline(timeoutNs);
        int attempt = 0;
        while (true)
        {
            lock.lockInterruptibly();
            try
            {
                if (ring.take(copier) > 0)
                {
                    return decodeTaken();
                }
            }
            finally
            {
                lock.unlock();
            }
            if (RingWaits.isPast(deadline))
            {
                return null;
            }
            if (Thread.interrupted())
            {
                throw new InterruptedException("interrupted while waiting on queue " + ring.path());
            }
            RingWaits.pause(attempt++);
        }
    }

    /**
     * One attempt to take an element, for a background take: under the lock, unless the future is done.
     *
     * @return the element, or {@code null} if none was taken.
     */
    T tryTakeFor(final CompletableFuture<T> future) throws InterruptedException
    {
        lock.lockInterruptibly();
        try
        {
            return future.isDone() || ring.take(copier) <= 0 ? null : decodeTaken();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Hands what is there to a router's handler, as the exclusive consumer, without waiting.
     */
    int readAvailable(final MessageHandler<? super T> handler, final int limit)
    {
        lock.lock();
        try
        {
            return sourceDecoder.read(handler, limit);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Frees the elements every sink of the router has.
     */
    void onDelivered(final long messages)
    {
        lock.lock();
        try
        {
            sourceDecoder.onDelivered(messages);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Decodes the record {@link #copier} copied out of the file, under the lock; the record is freed already.
     */
    private T decodeTaken()
    {
        final T element = codec.decode(copier.bytes, 0, copier.length);
        if (element == null)
        {
            throw new CodecException("a record of " + copier.length + " bytes in queue " + ring.path() +
                " decodes to null, which a queue cannot hold");
        }
        return element;
    }

    /**
     * Copies the one record a take reads out of the file, so that the take lock is given back before decoding; reused.
     */
    private static final class Copier implements RecordHandler
    {
        private final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(256);
        private int length;

        @Override
        public void onRecord(final DirectBuffer buffer, final int offset, final int length)
        {
            bytes.putBytes(0, buffer, offset, length);
            this.length = length;
        }
    }
}
