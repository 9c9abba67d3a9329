package io.ringlink.offheap;

import io.ringlink.AcknowledgingSource;
import io.ringlink.MessageHandler;
import io.ringlink.offheap.internal.Backoff;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * Waiting loops over an {@link IpcRing}, shared by the sink, the source, the queue and the pipe. There is no signal
 * across processes, so a wait polls with back-off; {@link #pause(int)} is that back-off without state, so that a
 * blocking {@code put}/{@code take} allocates no idle strategy.
 */
final class RingWaits
{
    private static final long READ_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private RingWaits()
    {
    }

    /**
     * A source whose {@code readAvailable} hands what is there without waiting (and throws nothing checked).
     *
     * @param <T> type of message.
     */
    interface AvailableReader<T>
    {
        /**
         * Hands up to {@code limit} messages that are there now.
         *
         * @param handler receives each.
         * @param limit   the most.
         * @return the number handed.
         */
        int readAvailable(MessageHandler<? super T> handler, int limit);
    }

    /**
     * Backs off after {@code attempt} empty polls: spins, then yields, then parks from 1 us doubling up to 1 ms, so
     * a waiter wakes within about a millisecond of the other process acting (see {@link Backoff}).
     *
     * @param attempt how many times this wait has paused before, from 0.
     */
    static void pause(final int attempt)
    {
        Backoff.pause(attempt);
    }

    /**
     * The deadline of a wait.
     *
     * @param timeoutNs how long it may last, {@link Long#MAX_VALUE} for ever.
     * @return the {@link System#nanoTime()} it ends at, or {@link Long#MAX_VALUE} for never.
     */
    static long deadline(final long timeoutNs)
    {
        return timeoutNs == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + timeoutNs;
    }

    /**
     * Whether a wait's deadline has passed.
     *
     * @param deadline from {@link #deadline(long)}.
     * @return {@code true} once past; never for {@link Long#MAX_VALUE}.
     */
    static boolean isPast(final long deadline)
    {
        return deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0;
    }

    /**
     * The read of a ring's source in a router ({@link IpcRingSource}, {@link SharedQueue}): hands what is there, or
     * waits per the idle strategy up to about 50 ms for something, then returns 0; returns at once, with what it has,
     * when the thread is interrupted (its flag left set).
     *
     * @return the number handed, or {@link AcknowledgingSource#END_OF_STREAM} once the ring is closed.
     */
    static <T> int read(
        final IpcRing ring,
        final AvailableReader<T> source,
        final MessageHandler<? super T> handler,
        final int limit,
        final IdleStrategy idleStrategy)
    {
        if (ring.isClosed())
        {
            return AcknowledgingSource.END_OF_STREAM;
        }
        int read = source.readAvailable(handler, limit);
        if (read > 0)
        {
            return read;
        }
        final long deadline = System.nanoTime() + READ_WAIT_NS;
        idleStrategy.reset();
        while (read == 0 && System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted())
        {
            idleStrategy.idle();
            read = source.readAvailable(handler, limit);
        }
        return read;
    }

    /**
     * Offers a record until it fits, the timeout passes or the thread is interrupted.
     */
    static boolean offer(
        final IpcRing ring,
        final DirectBuffer buffer,
        final int length,
        final long timeoutNs,
        final IdleStrategy idleStrategy) throws InterruptedException
    {
        ring.checkLength(length);
        if (ring.offer(buffer, 0, length))
        {
            return true;
        }
        final long deadline = deadline(timeoutNs);
        idleStrategy.reset();
        while (true)
        {
            if (Thread.interrupted())
            {
                throw new InterruptedException("interrupted while waiting for room in ring " + ring.path());
            }
            if (ring.offer(buffer, 0, length))
            {
                return true;
            }
            if (isPast(deadline))
            {
                return false;
            }
            idleStrategy.idle();
        }
    }
}
