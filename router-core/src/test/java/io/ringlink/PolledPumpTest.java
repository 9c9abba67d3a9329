package io.ringlink;

import io.ringlink.test.Threads;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * In {@code SHARED}, a source that reads without blocking runs on an agent: no pump thread, every message in order,
 * a stop that moves what the source holds, and failures (the source's, or a source handing more than its limit)
 * counted, logged and ending that source only, never the agent.
 */
@Timeout(60)
class PolledPumpTest
{
    private static final int MESSAGES = 20_000;

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BLOCKING", "YIELDING"})
    void shouldRunOnAnAgentWithoutAPumpThreadAndDeliverInOrder(final WaitStrategy wait) throws Exception
    {
        final String name = "polled-order-" + wait.name().toLowerCase();
        final ConcurrentLinkedQueue<Integer> queue = new ConcurrentLinkedQueue<>();
        final PolledSource<Integer> source = new PolledSource<>(queue);
        final SequenceCheck sink = new SequenceCheck();
        final Router<Integer> router = router(name, wait, 64);
        router.write(sink);
        router.read(source);
        assertThat(Threads.liveThreadsNamed("ringlink-" + name + "-")).as("the agents only")
            .hasSize(2).allMatch((thread) -> thread.contains("-agent-"));
        for (int i = 0; i < MESSAGES / 2; i++)
        {
            queue.add(i);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.next.get() == MESSAGES / 2);
        // Idle for a while (an agent under BLOCKING backs off to 1 ms parks), then more: seen again.
        Thread.sleep(50);
        for (int i = MESSAGES / 2; i < MESSAGES; i++)
        {
            queue.add(i);
        }
        final StopResult result = router.stop(Duration.ofSeconds(10));
        assertThat(result.isClean()).as(result.toString()).isTrue();
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
        assertThat(sink.violations).isEmpty();
        assertThat(sink.next.get()).as("everything, also what the source held at the stop").isEqualTo(MESSAGES);
        assertThat(source.isClosed()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BLOCKING", "YIELDING"})
    void shouldEndOnlyTheSourceThatFailsOnAnAgent(final WaitStrategy wait) throws Exception
    {
        final String name = "polled-failure-" + wait.name().toLowerCase();
        final ConcurrentLinkedQueue<Integer> queue = new ConcurrentLinkedQueue<>();
        final SequenceCheck sink = new SequenceCheck();
        // One agent: the failing sources and the good one share it.
        final Router<Integer> router = Router.builder().name(name).ringSize(4).waitStrategy(wait)
            .threading(ThreadingMode.SHARED).deliveryThreads(1).stopTimeout(Duration.ofSeconds(5)).build();
        try
        {
            router.write(sink);
            final SourceId failing = router.read(new PolledSource<Integer>(new ConcurrentLinkedQueue<>())
            {
                @Override
                public int readAvailable(final MessageHandler<? super Integer> handler, final int limit)
                {
                    throw new IllegalStateException("the source broke");
                }
            });
            final SourceId greedy = router.read(new PolledSource<Integer>(new ConcurrentLinkedQueue<>())
            {
                @Override
                public int readAvailable(final MessageHandler<? super Integer> handler, final int limit)
                {
                    // One more than it may: with a ring of 4, the fifth finds no room.
                    for (int i = 0; i <= limit; i++)
                    {
                        handler.onMessage(-1);
                    }
                    return limit + 1;
                }

                @Override
                public String name()
                {
                    return "greedy";
                }
            });
            router.read(new PolledSource<>(queue));
            for (int i = 0; i < MESSAGES; i++)
            {
                queue.add(i);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.next.get() == MESSAGES);
            await().atMost(Duration.ofSeconds(10)).until(() -> router.metrics().sources().stream()
                .noneMatch((metrics) -> metrics.id().equals(failing) || metrics.id().equals(greedy)));
            assertThat(router.failure()).isPresent();
        }
        finally
        {
            final StopResult result = router.stop(Duration.ofSeconds(5));
            assertThat(result.abandonedSources()).isEmpty();
        }
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
        assertThat(sink.violations).isEmpty();
        assertThat(sink.greedy.get()).as("the greedy source's messages that had room").isEqualTo(4);
    }

    private static Router<Integer> router(final String name, final WaitStrategy wait, final int ringSize)
    {
        return Router.builder().name(name).ringSize(ringSize).waitStrategy(wait).threading(ThreadingMode.SHARED)
            .deliveryThreads(2).stopTimeout(Duration.ofSeconds(10)).build();
    }

    /** Checks that the non-negative numbers arrive in order, none missing, none twice; counts the -1s. */
    private static final class SequenceCheck implements Sink<Integer>
    {
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger greedy = new AtomicInteger();
        final List<String> violations = new CopyOnWriteArrayList<>();

        @Override
        public void onMessage(final Integer message)
        {
            if (message < 0)
            {
                greedy.incrementAndGet();
                return;
            }
            if (message != next.get())
            {
                violations.add("got " + message + ", expected " + next.get());
            }
            next.set(message + 1);
        }
    }
}
