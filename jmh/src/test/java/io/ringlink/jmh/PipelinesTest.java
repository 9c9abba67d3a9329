package io.ringlink.jmh;

import io.ringlink.WaitStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The throughput pipelines deliver every message of a batch before a batch counts: a score never includes messages
 * that were merely enqueued.
 */
@Timeout(60)
class PipelinesTest
{
    @Test
    void shouldDeliverEveryBatchToEveryRouterSink()
    {
        try (RouterPipeline pipeline = new RouterPipeline(WaitStrategy.BLOCKING, 3))
        {
            pipeline.sendBatch();
            pipeline.sendBatch();

            assertThat(pipeline.sinks).extracting(CountingConsumer::received)
                .containsOnly(2L * Harness.BATCH);
            assertThat(pipeline.router.metrics().published()).isEqualTo(2L * Harness.BATCH);
        }
    }

    @Test
    void shouldDeliverEveryBatchToEveryDisruptorHandler()
    {
        final List<CountingConsumer> handlers = List.of(new CountingConsumer(), new CountingConsumer());
        try (RawDisruptor disruptor = new RawDisruptor(WaitStrategy.YIELDING, false, handlers))
        {
            disruptor.sendBatch(Harness.BATCH, handlers);
            disruptor.sendBatch(2L * Harness.BATCH, handlers);

            assertThat(handlers).extracting(CountingConsumer::received).containsOnly(2L * Harness.BATCH);
        }
    }

    @Test
    void shouldPumpEveryBatchIntoEveryDestinationQueue() throws InterruptedException
    {
        try (QueuePump pump = new QueuePump(3))
        {
            pump.sendBatch();
            pump.sendBatch();

            assertThat(pump.source).isEmpty();
        }
    }

    @Test
    void shouldMoveEveryBatchThroughTheQueueLink() throws InterruptedException
    {
        final RouterLinkBenchmark.LinkPath path = new RouterLinkBenchmark.LinkPath();
        path.waitStrategy = WaitStrategy.BLOCKING;
        path.setUp();
        try
        {
            new RouterLinkBenchmark().routerLink(path);
            new RouterLinkBenchmark().routerLink(path);

            assertThat(path.consumer.received()).isEqualTo(2L * Harness.BATCH);
            assertThat(path.queueA).isEmpty();
        }
        finally
        {
            path.tearDown();
        }
    }

    @Test
    void shouldCountEachProducersMessagesApart() throws Exception
    {
        final RouterFanInBenchmark.LaneCounter counter = new RouterFanInBenchmark.LaneCounter(3);
        counter.onMessage(0);
        counter.onMessage(2);
        counter.onMessage(2);
        assertThat(counter.lane(2).received()).isZero();

        counter.onEndOfBatch();

        assertThat(List.of(counter.lane(0).received(), counter.lane(1).received(), counter.lane(2).received()))
            .containsExactly(1L, 0L, 2L);
    }
}
