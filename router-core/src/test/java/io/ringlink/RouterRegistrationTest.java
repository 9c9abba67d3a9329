package io.ringlink;

import io.ringlink.test.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Sources and sinks added and removed while messages flow, and links that would feed themselves.
 */
@Timeout(120)
@ParameterizedClass(name = "{0}")
@EnumSource(ThreadingMode.class)
class RouterRegistrationTest
{
    /** Every test runs in both threading modes. */
    @Parameter
    ThreadingMode threading;

    private static final int MESSAGES = 1_000_000;

    @Test
    void shouldGiveASinkAddedUnderLoadAGapFreeSuffixWithoutDisturbingTheOthers() throws InterruptedException
    {
        final long sent;
        final SequenceSink first = new SequenceSink(1);
        final SequenceSink second = new SequenceSink(1);
        final SequenceSink late = SequenceSink.startingAnywhere(1);
        try (Router<Long> router = Router.builder().threading(threading).name("add-under-load").ringSize(1024)
            .waitStrategy(WaitStrategy.YIELDING).build())
        {
            router.write(first);
            router.write(second);
            final Producer producer = new Producer(router.publisher("p"));
            producer.awaitQuarter();
            router.write(late);
            producer.changed();
            producer.join();
            assertThat(router.awaitDrained(Duration.ofSeconds(60))).isTrue();
            sent = producer.sent.get();
        }
        assertThat(first.count()).isEqualTo(sent).isGreaterThanOrEqualTo(MESSAGES);
        assertThat(second.count()).isEqualTo(sent);
        assertThat(late.nextExpected(0)).isEqualTo(sent);
        assertThat(first.problems()).isEmpty();
        assertThat(second.problems()).isEmpty();
        assertThat(late.problems()).isEmpty();
        assertThat(late.count()).isGreaterThanOrEqualTo(MESSAGES / 4).isLessThan(sent);
        Threads.assertNoThreadsNamed("ringlink-add-under-load-");
    }

    @Test
    void shouldStopDeliveringToARemovedSinkAndKeepTheOthersWhole() throws InterruptedException
    {
        final SequenceSink kept = new SequenceSink(1);
        final SequenceSink removed = new SequenceSink(1);
        try (Router<Long> router = Router.builder().threading(threading).name("remove-under-load").ringSize(1024)
            .waitStrategy(WaitStrategy.BLOCKING).build())
        {
            router.write(kept);
            final SinkId removedId = router.write(removed);
            final Producer producer = new Producer(router.publisher("p"));
            producer.awaitQuarter();
            assertThat(router.unregister(removedId)).isTrue();
            producer.changed();
            final long countAtRemoval = removed.count();
            producer.join();
            assertThat(router.awaitDrained(Duration.ofSeconds(60))).isTrue();
            assertThat(kept.count()).isEqualTo(producer.sent.get()).isGreaterThanOrEqualTo(MESSAGES);
            assertThat(removed.count()).isEqualTo(countAtRemoval).isLessThan(producer.sent.get());
            assertThat(router.metrics().sinks()).hasSize(1);
            assertThat(router.unregister(removedId)).isFalse();
        }
        assertThat(kept.problems()).isEmpty();
        assertThat(removed.problems()).isEmpty();
    }

    @Test
    void shouldSerialiseASinkThatGainsASecondSourceWhileMessagesFlow() throws InterruptedException
    {
        // 20 us per message: the first source's delivery is nearly always inside a long unlocked batch when the
        // second source arrives, so the router must wait for that batch to end before the second delivery starts.
        final SequenceSink sink = SequenceSink.slow(2, 20_000);
        final int secondSourceMessages = 200;
        final AtomicLong sent = new AtomicLong();
        final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (Router<Long> router = Router.builder().threading(threading).name("gains-source").ringSize(1024)
            .waitStrategy(WaitStrategy.YIELDING).build())
        {
            router.write(sink);
            final Publisher<Long> first = router.publisher("first");
            final Thread producer = new Thread(() ->
            {
                for (long i = 0; running.get(); i++)
                {
                    first.publish(SequenceSink.message(0, i));
                    sent.lazySet(i + 1);
                }
            });
            producer.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() > 1000);
            final Publisher<Long> second = router.publisher("second");
            for (long i = 0; i < secondSourceMessages; i++)
            {
                second.publish(SequenceSink.message(1, i));
            }
            running.set(false);
            producer.join();
            assertThat(router.awaitDrained(Duration.ofSeconds(60))).isTrue();
            assertThat(sink.count()).isEqualTo(sent.get() + secondSourceMessages);
        }
        assertThat(sink.problems()).isEmpty();
        assertThat(sink.nextExpected(1)).isEqualTo(secondSourceMessages);
    }

    @Test
    void shouldDeliverWhatIsInTheRingOfAnUnregisteredSource() throws InterruptedException
    {
        final BlockingQueue<Integer> in = new LinkedBlockingQueue<>();
        final BlockingQueue<Integer> out = new LinkedBlockingQueue<>();
        try (Router<Integer> router = Router.builder().threading(threading).name("unregister-source").build())
        {
            final SourceId id = router.read(in);
            router.write(out);
            for (int i = 0; i < 1000; i++)
            {
                in.put(i);
            }
            await().atMost(Duration.ofSeconds(10)).until(in::isEmpty);
            assertThat(router.unregister(id)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> out.size() == 1000);
            in.put(-1);
            assertThat(router.awaitDrained(Duration.ofMillis(200))).isTrue();
            assertThat(out).doesNotContain(-1);
            assertThat(router.metrics().sources()).isEmpty();
            assertThat(router.metrics().published()).isEqualTo(1000);
        }
    }

    @Test
    void shouldRefuseASinkThatIsASourceOfTheSameRouter()
    {
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        try (Router<String> router = Router.builder().threading(threading).name("self-loop").build())
        {
            router.read(queue);
            assertThatThrownBy(() -> router.write(queue))
                .isInstanceOf(CircularLinkException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("self-loop");
            assertThat(router.metrics().sinks()).isEmpty();
        }
    }

    @Test
    void shouldRefuseALoopThroughAnotherRouterAndChangeNothing() throws InterruptedException
    {
        final BlockingQueue<String> q1 = new LinkedBlockingQueue<>();
        final BlockingQueue<String> q2 = new LinkedBlockingQueue<>();
        final BlockingQueue<String> q3 = new LinkedBlockingQueue<>();
        try (Router<String> a = Router.builder().threading(threading).name("loop-a").build();
            Router<String> b = Router.builder().threading(threading).name("loop-b").build())
        {
            a.read(q1);
            a.write(q2);
            b.read(q2);
            assertThatThrownBy(() -> b.write(q1))
                .isInstanceOf(CircularLinkException.class)
                .hasMessageContaining("loop-a");
            assertThat(b.metrics().sinks()).isEmpty();

            b.write(q3);
            q1.put("through");
            assertThat(q3.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("through");
        }
    }

    @Test
    void shouldRefuseALoopClosedByAddingASource()
    {
        final BlockingQueue<String> q1 = new LinkedBlockingQueue<>();
        final BlockingQueue<String> q2 = new LinkedBlockingQueue<>();
        try (Router<String> a = Router.builder().threading(threading).name("source-loop-a").build();
            Router<String> b = Router.builder().threading(threading).name("source-loop-b").build())
        {
            a.read(q1);
            a.write(q2);
            b.write(q1);
            assertThatThrownBy(() -> b.read(q2)).isInstanceOf(CircularLinkException.class);
            assertThat(b.metrics().sources()).isEmpty();
        }
    }

    @Test
    void shouldForgetTheLinksOfAStoppedRouter()
    {
        final BlockingQueue<String> q1 = new LinkedBlockingQueue<>();
        final BlockingQueue<String> q2 = new LinkedBlockingQueue<>();
        try (Router<String> a = Router.builder().threading(threading).name("forget-a").build())
        {
            a.read(q1);
            a.write(q2);
        }
        try (Router<String> b = Router.builder().threading(threading).name("forget-b").build())
        {
            b.read(q2);
            b.write(q1);
            assertThat(b.metrics().sinks()).hasSize(1);
        }
    }

    @Test
    void shouldRefuseTheSameEndpointTwiceInOneDirection()
    {
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        final BlockingQueue<String> other = new LinkedBlockingQueue<>();
        try (Router<String> router = Router.builder().threading(threading).name("twice").build())
        {
            router.write(queue);
            assertThatThrownBy(() -> router.write(queue))
                .isInstanceOf(IllegalArgumentException.class)
                .isNotInstanceOf(CircularLinkException.class)
                .hasMessageContaining("already a sink");
            router.read(other);
            assertThatThrownBy(() -> router.read(other)).hasMessageContaining("already a source");
        }
    }

    @Test
    void shouldRefuseUnsupportedTypesNamingThem()
    {
        try (Router<String> router = Router.builder().threading(threading).name("types").build())
        {
            assertThatThrownBy(() -> router.read(new Object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object")
                .hasMessageContaining("BlockingQueue");
            assertThatThrownBy(() -> router.write(42))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Integer");
        }
    }

    @Test
    void shouldRefuseBadBuilderValuesNamingThem()
    {
        assertThatThrownBy(() -> Router.builder().threading(threading).ringSize(1000).build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("1000")
            .hasMessageContaining("power of two");
        assertThatThrownBy(() -> Router.builder().threading(threading).ringSize(0).build()).hasMessageContaining("0");
        assertThatThrownBy(() -> Router.builder().threading(threading).name(" ").build()).hasMessageContaining("name");
        assertThatThrownBy(() -> Router.builder().threading(threading).stopTimeout(Duration.ZERO).build())
            .hasMessageContaining("stopTimeout");
    }

    @Test
    void shouldKeepItemsInAQueueSourceWhileThereIsNoSink() throws InterruptedException
    {
        final BlockingQueue<String> in = new ArrayBlockingQueue<>(10);
        final BlockingQueue<String> out = new LinkedBlockingQueue<>();
        try (Router<String> router = Router.builder().threading(threading).name("no-sink-yet").build())
        {
            router.read(in);
            in.put("waiting");
            assertThat(router.isDrained()).isFalse();
            router.write(out);
            assertThat(out.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("waiting");
        }
    }

    /**
     * Publishes sequence numbers on its own thread: at least {@link #MESSAGES}, and a quarter of that again after the
     * test said the registrations {@link #changed()}, so the change always happens while messages flow.
     */
    private static final class Producer extends Thread
    {
        final AtomicLong sent = new AtomicLong();
        private final AtomicLong changedAt = new AtomicLong(Long.MAX_VALUE - MESSAGES);
        private final Publisher<Long> publisher;

        Producer(final Publisher<Long> publisher)
        {
            this.publisher = publisher;
            start();
        }

        @Override
        public void run()
        {
            for (long i = 0; i < Math.max(MESSAGES, changedAt.get() + MESSAGES / 4); i++)
            {
                publisher.publish(SequenceSink.message(0, i));
                sent.lazySet(i + 1);
            }
        }

        void awaitQuarter()
        {
            await().atMost(Duration.ofSeconds(30)).until(() -> sent.get() > MESSAGES / 4);
        }

        void changed()
        {
            changedAt.set(sent.get());
        }
    }
}
