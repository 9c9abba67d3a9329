package io.ringlink.offheap;

/**
 * The {@code JoinableQueue} accounting of a {@link SharedQueue}: tasks done are counted in the file's header with a
 * compare-and-set that refuses to count more than were taken ({@code RingCounters}); the unfinished count is
 * produced minus done, exact across processes; {@link #join(long)} polls it with {@link RingWaits#pause(int)}.
 */
final class QueueTasks
{
    private final IpcRing ring;

    QueueTasks(final IpcRing ring)
    {
        this.ring = ring;
    }

    /**
     * Counts one task done.
     *
     * @throws IllegalStateException if as many tasks are done as elements were taken.
     */
    void taskDone()
    {
        ring.taskDone();
    }

    /**
     * Elements put and not yet done.
     */
    long unfinished()
    {
        return ring.unfinishedCount();
    }

    /**
     * Waits up to the timeout ({@link Long#MAX_VALUE} for ever) until every element put is done.
     *
     * @return {@code false} on timeout.
     */
    boolean join(final long timeoutNs) throws InterruptedException
    {
        final long deadline = RingWaits.deadline(timeoutNs);
        int attempt = 0;
        while (ring.unfinishedCount() > 0)
        {
            if (RingWaits.isPast(deadline))
            {
                return false;
            }
            if (Thread.interrupted())
            {
                throw new InterruptedException("interrupted while joining queue " + ring.path());
            }
            RingWaits.pause(attempt++);
        }
        return true;
    }
}
