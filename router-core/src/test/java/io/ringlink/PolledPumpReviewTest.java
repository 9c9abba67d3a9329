package io.ringlink;

import io.ringlink.test.Threads;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Review of the polled pump on a delivery agent (SHARED, sources that read without blocking): cases that try to
 * break it. Each test says what it shows.
 */
@Timeout(60)
class PolledPumpReviewTest
{
    /**
     * FAILS (review finding): unregistering a polled source whose agent is held by a sink busy with ANOTHER source's
     * message interrupts that agent (Pump.forceEnd -> DisruptorRouter.abandonDeliveries -> Shutdown.halt, which calls
     * Delivery.halt(true) for the polled source's deliveries only). The interrupt lands in the slow sink's onMessage
     * for the publisher's message, whose delivery is not halted: the sink fails (an error counted, the message lost
     * to it, router.failure() set) though nothing gave it up. A stop marks every delivery halted before interrupting
     * (Shutdown.abandonRemaining); an unregister does not.
     */
    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BLOCKING", "YIELDING"})
    void unregisteringAPolledSourceMustNotInterruptASinkBusyWithAnotherSource(final WaitStrategy wait)
        throws Exception
    {
        final String name = "review-interrupt-" + wait.name().toLowerCase();
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch busy = new CountDownLatch(1);
        final List<String> interrupted = new CopyOnWriteArrayList<>();
        final Router<String> router = Router.builder().name(name).ringSize(16).waitStrategy(wait)
            .threading(ThreadingMode.SHARED).deliveryThreads(1).stopTimeout(Duration.ofMillis(300)).build();
        try
        {
            router.write(new Sink<String>()
            {
                @Override
                public void onMessage(final String message) throws Exception
                {
                    if (message.startsWith("q"))
                    {
                        busy.countDown();
                        try
                        {
                            // A slow sink (say, a write that takes seconds): nobody asked it to stop.
                            release.await(20, TimeUnit.SECONDS);
                        }
                        catch (final InterruptedException ex)
                        {
                            interrupted.add(message);
                            throw ex;
                        }
                    }
                }
            });
            final Publisher<String> publisher = router.publisher("q");
            publisher.publish("q-1");
            assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
            final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
            queue.add("p-1");
            final SourceId polled = router.read(new PolledSource<>(queue));
            assertThat(router.unregister(polled)).isTrue();
            release.countDown();
            assertThat(interrupted).as("the publisher's message was interrupted in the sink").isEmpty();
            assertThat(router.failure()).isEmpty();
        }
        finally
        {
            release.countDown();
            router.stop(Duration.ofSeconds(5));
        }
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
    }

    /**
     * FAILS (review finding): an Error thrown by a polled source's close (or by AcknowledgingSource.onDelivered, which
     * Pump.acknowledgedAll catches only as RuntimeException) escapes Pump.poll; DeliveryAgent.run polls pumps with no
     * guard (its deliveries have one, onDeliveryCrash), so the agent thread dies and with it every sink and source on
     * it. On main the same Error ended only that source's pump thread.
     */
    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BLOCKING", "YIELDING"})
    void anErrorFromAPolledSourceMustNotKillItsAgent(final WaitStrategy wait) throws Exception
    {
        final String name = "review-error-" + wait.name().toLowerCase();
        final AtomicInteger received = new AtomicInteger();
        final Router<String> router = Router.builder().name(name).ringSize(16).waitStrategy(wait)
            .threading(ThreadingMode.SHARED).deliveryThreads(1).stopTimeout(Duration.ofMillis(500)).build();
        try
        {
            router.write((Sink<String>)(message) -> received.incrementAndGet());
            final SourceId polled = router.read(new PolledSource<String>(new ConcurrentLinkedQueue<>())
            {
                @Override
                public void close()
                {
                    throw new AssertionError("close broke");
                }
            });
            router.unregister(polled);
            final Publisher<String> publisher = router.publisher("q");
            for (int i = 0; i < 10; i++)
            {
                publisher.publish("q-" + i);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> received.get() == 10);
        }
        finally
        {
            router.stop(Duration.ofSeconds(2));
        }
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
    }
}
