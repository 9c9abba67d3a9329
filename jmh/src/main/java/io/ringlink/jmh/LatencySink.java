package io.ringlink.jmh;

import com.lmax.disruptor.EventHandler;
import io.ringlink.Sink;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A sink that times each {@link Stamp} from its publish to now into a {@link LatencyRecorder.Writer} of its own, and
 * counts it (made visible once per batch, as {@link CountingConsumer} does). One class for both peers: a router
 * {@link Sink} (called by one thread at a time) and a Disruptor {@link EventHandler} (its processor's thread).
 */
final class LatencySink implements Sink<Object>, EventHandler<Slot>, Harness.Received, AutoCloseable
{
    private final LatencyRecorder.Writer recorder = LatencyRecorder.writer();
    private final AtomicLong received = new AtomicLong();
    private long count;

    @Override
    public void onMessage(final Object message)
    {
        take((Stamp)message);
    }

    @Override
    public void onEndOfBatch()
    {
        received.lazySet(count);
    }

    @Override
    public void onEvent(final Slot slot, final long sequence, final boolean endOfBatch)
    {
        take((Stamp)slot.value);
        if (endOfBatch)
        {
            received.lazySet(count);
        }
    }

    private void take(final Stamp stamp)
    {
        recorder.record(System.nanoTime() - stamp.nanos);
        count++;
    }

    @Override
    public long received()
    {
        return received.get();
    }

    @Override
    public String name()
    {
        return "latency";
    }

    /** Stops reporting to the profiler; the router closes the sink when it stops. */
    @Override
    public void close()
    {
        recorder.close();
    }
}
