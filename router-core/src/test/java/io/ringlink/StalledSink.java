package io.ringlink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A sink of longs from one source that stalls on its first message until {@link #release()}, then takes the rest at
 * full speed, checking that what it receives is strictly increasing (in order, gaps allowed: a dropping sink may
 * miss messages but never reorder them). An interrupt while stalled (a disconnect) ends the stall.
 */
public final class StalledSink implements Sink<Long>
{
    private final CountDownLatch latch = new CountDownLatch(1);
    private final CountDownLatch stalled = new CountDownLatch(1);
    private final List<String> problems = new ArrayList<>();
    private long last = -1;
    private volatile long count;
    private volatile boolean interrupted;
    private volatile boolean closed;

    @Override
    public void onMessage(final Long message) throws InterruptedException
    {
        if (message <= last && problems.size() < 10)
        {
            problems.add("got " + message + " after " + last);
        }
        last = message;
        count = count + 1;
        if (stalled.getCount() > 0)
        {
            stalled.countDown();
            try
            {
                if (!latch.await(2, TimeUnit.MINUTES))
                {
                    problems.add("never released");
                }
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
                throw ex;
            }
        }
    }

    /** Waits until the sink is stalled in its first message. */
    public void awaitStalled() throws InterruptedException
    {
        if (!stalled.await(1, TimeUnit.MINUTES))
        {
            throw new AssertionError("the sink never got its first message");
        }
    }

    public void release()
    {
        latch.countDown();
    }

    public long count()
    {
        return count;
    }

    public long last()
    {
        return last;
    }

    public boolean wasInterrupted()
    {
        return interrupted;
    }

    public boolean isClosed()
    {
        return closed;
    }

    public List<String> problems()
    {
        return problems;
    }

    @Override
    public void close()
    {
        closed = true;
    }
}
