package io.ringlink.jmh;

import io.ringlink.Publisher;
import io.ringlink.Router;
import io.ringlink.ThreadingMode;
import io.ringlink.WaitStrategy;

import java.util.ArrayList;
import java.util.List;

/**
 * The router under test on its fastest path: a {@link Publisher} writing into the ring from the producer's thread,
 * delivered to {@link CountingConsumer} sinks (one delivery thread each). The sinks keep the default
 * {@code isThreadSafe() == false}, as a user's sink would.
 */
final class RouterPipeline implements AutoCloseable
{
    final Router<Object> router;
    final List<CountingConsumer> sinks = new ArrayList<>();
    private final Publisher<Object> publisher;
    private long target;

    RouterPipeline(final WaitStrategy waitStrategy, final int sinkCount)
    {
        this(waitStrategy, sinkCount, Harness.RING_SIZE, ThreadingMode.DEDICATED, false);
    }

    RouterPipeline(
        final WaitStrategy waitStrategy, final int sinkCount, final int ringSize, final ThreadingMode threading)
    {
        this(waitStrategy, sinkCount, ringSize, threading, false);
    }

    /**
     * A router with {@code sinkCount} counting sinks.
     *
     * @param waitStrategy how the deliveries wait.
     * @param sinkCount    sinks, one delivery thread (or agent) each.
     * @param ringSize     slots per ring.
     * @param threading    the threading mode.
     * @param monitored    whether the router publishes its counters file and registers its MXBean.
     */
    RouterPipeline(final WaitStrategy waitStrategy, final int sinkCount, final int ringSize,
        final ThreadingMode threading, final boolean monitored)
    {
        router = Router.builder()
            .name("jmh")
            .ringSize(ringSize)
            .waitStrategy(waitStrategy)
            .threading(threading)
            .deliveryThreads(sinkCount)
            .daemon(true)
            .counters(monitored)
            .jmx(monitored)
            .build();
        for (int i = 0; i < sinkCount; i++)
        {
            final CountingConsumer sink = new CountingConsumer();
            router.write(sink);
            sinks.add(sink);
        }
        publisher = router.publisher("producer");
    }

    /** Publishes a batch and waits until every sink has it. */
    void sendBatch()
    {
        sendBatch(Harness.BATCH);
    }

    /** Publishes {@code count} messages and waits until every sink has them. */
    void sendBatch(final int count)
    {
        final Publisher<Object> publisher = this.publisher;
        for (int i = 0; i < count; i++)
        {
            publisher.publish(Harness.message(i));
        }
        awaitSinks(count);
    }

    /** Publishes {@link Harness#MILLION} messages with {@code publishBatch} and waits until every sink has them. */
    void sendMillionInBatches()
    {
        final int published = publisher.publishBatch(Harness.MILLION_MESSAGES, 0, Harness.MILLION);
        if (published != Harness.MILLION)
        {
            throw new IllegalStateException("published " + published + " of " + Harness.MILLION);
        }
        awaitSinks(Harness.MILLION);
    }

    private void awaitSinks(final int count)
    {
        target += count;
        for (int i = 0; i < sinks.size(); i++)
        {
            Harness.awaitReceived(sinks.get(i), target);
        }
    }

    @Override
    public void close()
    {
        router.close();
    }
}
