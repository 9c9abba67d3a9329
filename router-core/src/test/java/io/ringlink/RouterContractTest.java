package io.ringlink;

import io.ringlink.test.Threads;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The router's delivery guarantees under every wait strategy: no loss, no duplicate, per-source order, over a million
 * sequence-numbered messages. Busy-spin runs only the 1→1 case, with two threads (publisher and delivery) on two cores.
 */
@Timeout(120)
@ParameterizedClass(name = "{0}")
@EnumSource(ThreadingMode.class)
class RouterContractTest
{
    /** Every test runs in both threading modes. */
    @Parameter
    ThreadingMode threading;

    private static final int MESSAGES = 1_000_000;

    @ParameterizedTest
    @EnumSource(WaitStrategy.class)
    void shouldDeliverEveryMessageInOrderOneToOne(final WaitStrategy waitStrategy)
    {
        final SequenceSink sink = new SequenceSink(1);
        final String name = "one-to-one-" + waitStrategy;
        try (Router<Long> router = router(name, waitStrategy))
        {
            router.write(sink);
            final Publisher<Long> publisher = router.publisher("p0");
            for (long i = 0; i < MESSAGES; i++)
            {
                publisher.publish(SequenceSink.message(0, i));
            }
            await().atMost(Duration.ofSeconds(60)).until(sink::count, (count) -> count == MESSAGES);
            assertThat(router.awaitDrained(Duration.ofSeconds(10))).isTrue();
            final RouterMetrics metrics = router.metrics();
            assertThat(metrics.published()).isEqualTo(MESSAGES);
            assertThat(metrics.delivered()).isEqualTo(MESSAGES);
            assertThat(metrics.sinks().get(0).delivered()).isEqualTo(MESSAGES);
            assertThat(metrics.sinks().get(0).lag()).isZero();
        }
        assertThat(sink.problems()).isEmpty();
        assertThat(sink.count()).isEqualTo(MESSAGES);
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
    }

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"YIELDING", "SLEEPING", "BLOCKING"})
    void shouldDeliverEveryMessageToEverySinkOneToThree(final WaitStrategy waitStrategy)
    {
        final List<SequenceSink> sinks = List.of(new SequenceSink(1), new SequenceSink(1), new SequenceSink(1));
        final String name = "fan-out-" + waitStrategy;
        try (Router<Long> router = router(name, waitStrategy))
        {
            sinks.forEach(router::write);
            final Publisher<Long> publisher = router.publisher("p0");
            for (long i = 0; i < MESSAGES; i++)
            {
                publisher.publish(SequenceSink.message(0, i));
            }
            for (final SequenceSink sink : sinks)
            {
                await().atMost(Duration.ofSeconds(60)).until(sink::count, (count) -> count == MESSAGES);
            }
            assertThat(router.metrics().delivered()).isEqualTo(3L * MESSAGES);
        }
        for (final SequenceSink sink : sinks)
        {
            assertThat(sink.problems()).isEmpty();
            assertThat(sink.count()).isEqualTo(MESSAGES);
        }
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
    }

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"YIELDING", "SLEEPING", "BLOCKING"})
    void shouldKeepPerSourceOrderThreeToOne(final WaitStrategy waitStrategy) throws InterruptedException
    {
        final int sources = 3;
        final int perSource = MESSAGES / sources;
        final SequenceSink sink = new SequenceSink(sources);
        final String name = "fan-in-" + waitStrategy;
        try (Router<Long> router = router(name, waitStrategy))
        {
            router.write(sink);
            final List<Thread> producers = new ArrayList<>();
            for (int s = 0; s < sources; s++)
            {
                final int source = s;
                final Publisher<Long> publisher = router.publisher("p" + s);
                producers.add(new Thread(() ->
                {
                    for (long i = 0; i < perSource; i++)
                    {
                        publisher.publish(SequenceSink.message(source, i));
                    }
                }, "producer-" + s));
            }
            producers.forEach(Thread::start);
            for (final Thread producer : producers)
            {
                producer.join();
            }
            await().atMost(Duration.ofSeconds(60)).until(sink::count, (count) -> count == (long)perSource * sources);
            assertThat(router.metrics().published()).isEqualTo((long)perSource * sources);
        }
        assertThat(sink.problems()).isEmpty();
        for (int s = 0; s < sources; s++)
        {
            assertThat(sink.nextExpected(s)).isEqualTo(perSource);
        }
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
    }

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"YIELDING", "BLOCKING"})
    void shouldLoseNothingFromSeveralThreadsOnOneConcurrentPublisher(final WaitStrategy waitStrategy)
        throws InterruptedException
    {
        final int threads = 3;
        final int perThread = 200_000;
        final SequenceSink sink = new SequenceSink(threads);
        try (Router<Long> router = router("multi-producer-" + waitStrategy, waitStrategy))
        {
            router.write(sink);
            final Publisher<Long> publisher = router.concurrentPublisher("shared");
            final List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final int source = t;
                producers.add(new Thread(() ->
                {
                    for (long i = 0; i < perThread; i++)
                    {
                        publisher.publish(SequenceSink.message(source, i));
                    }
                }));
            }
            producers.forEach(Thread::start);
            for (final Thread producer : producers)
            {
                producer.join();
            }
            await().atMost(Duration.ofSeconds(60)).until(sink::count, (count) -> count == (long)perThread * threads);
        }
        assertThat(sink.problems()).isEmpty();
    }

    private Router<Long> router(final String name, final WaitStrategy waitStrategy)
    {
        return Router.builder().threading(threading).name(name).ringSize(1024).waitStrategy(waitStrategy).build();
    }
}
