package io.ringlink.jmh;

import io.ringlink.Publisher;
import io.ringlink.Router;
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
        this(waitStrategy, sinkCount, false);
    }

    /**
     * A router with {@code sinkCount} counting sinks.
     *
     * @param waitStrategy how the delivery threads wait.
     * @param sinkCount    sinks, one delivery thread each.
     * @param monitored    whether the router publishes its counters file and registers its MXBean.
     */
    RouterPipeline(final WaitStrategy waitStrategy, final int sinkCount, final boolean monitored)
    {
        router = Router.builder()
            .name("jmh")
            .ringSize(Harness.RING_SIZE)
            .waitStrategy(waitStrategy)
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
        final Publisher<Object> publisher = this.publisher;
        for (int i = 0; i < Harness.BATCH; i++)
        {
            publisher.publish(Harness.message(i));
        }
        awaitSinks();
    }

    private void awaitSinks()
    {
        target += Harness.BATCH;
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
