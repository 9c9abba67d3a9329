package io.ringlink;

import io.ringlink.test.Threads;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link Publisher#publishBatch}: a batch many times the ring's size arrives whole and in order, for both kinds of
 * publisher in both threading modes; bad arguments change nothing; a source that ends while a batch waits for room
 * makes it return what it published, and exactly that is delivered. Racing closes: {@code PublisherCloseStressTest}.
 */
@Timeout(60)
class PublisherBatchTest
{
    static Stream<Arguments> kinds()
    {
        final List<Arguments> kinds = new ArrayList<>();
        for (final ThreadingMode threading : ThreadingMode.values())
        {
            kinds.add(Arguments.of(threading, false));
            kinds.add(Arguments.of(threading, true));
        }
        return kinds.stream();
    }

    @ParameterizedTest(name = "{0}, concurrent {1}")
    @MethodSource("kinds")
    void shouldDeliverABatchLargerThanTheRingWholeAndInOrder(final ThreadingMode threading, final boolean concurrent)
    {
        final List<Integer> received = new CopyOnWriteArrayList<>();
        try (Router<Integer> router = router("batch-order", threading))
        {
            router.write((Sink<Integer>)received::add);
            final Publisher<Integer> publisher = concurrent ? router.concurrentPublisher("p") : router.publisher("p");
            final Integer[] messages = numbers(10_000);
            assertThat(publisher.publishBatch(messages, 0, 3)).isEqualTo(3);
            assertThat(publisher.publishBatch(messages, 3, 0)).isZero();
            assertThat(publisher.publishBatch(messages, 3, messages.length - 3)).isEqualTo(messages.length - 3);
            publisher.publish(10_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 10_001);
            for (int i = 0; i <= 10_000; i++)
            {
                assertThat(received.get(i)).as("message " + i).isEqualTo(i);
            }
            assertThat(router.metrics().sources().get(0).published()).isEqualTo(10_001);
        }
    }

    @ParameterizedTest(name = "{0}, concurrent {1}")
    @MethodSource("kinds")
    void shouldRefuseBadArgumentsAndAClosedPublisher(final ThreadingMode threading, final boolean concurrent)
    {
        final List<Integer> received = new CopyOnWriteArrayList<>();
        try (Router<Integer> router = router("batch-arguments", threading))
        {
            router.write((Sink<Integer>)received::add);
            final Publisher<Integer> publisher = concurrent ? router.concurrentPublisher("p") : router.publisher("p");
            final Integer[] messages = numbers(10);
            assertThatThrownBy(() -> publisher.publishBatch(messages, 8, 3))
                .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> publisher.publishBatch(messages, -1, 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
            // A run is at most a quarter of the ring (4 here): the null at 5 fails the second run, the first is in.
            messages[5] = null;
            assertThatThrownBy(() -> publisher.publishBatch(messages, 0, 10))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("messages[5]");
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 4);
            messages[5] = 5;
            assertThat(publisher.publishBatch(messages, 4, 6)).isEqualTo(6);
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 10);
            assertThat(received).containsExactly(numbers(10));
            publisher.close();
            assertThatThrownBy(() -> publisher.publishBatch(messages, 0, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
    }

    @ParameterizedTest(name = "{0}, concurrent {1}")
    @MethodSource("kinds")
    void shouldReturnWhatItPublishedWhenTheRouterStopsWhileItWaitsForRoom(final ThreadingMode threading,
        final boolean concurrent) throws Exception
    {
        final List<Integer> received = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        final Router<Integer> router = router("batch-stop", threading);
        router.write((Sink<Integer>)(message) ->
        {
            if (message == 100)
            {
                release.await(30, TimeUnit.SECONDS);
            }
            received.add(message);
        });
        final Publisher<Integer> publisher = concurrent ? router.concurrentPublisher("p") : router.publisher("p");
        final int[] published = {-1};
        final Thread owner = new Thread(() -> published[0] = publisher.publishBatch(numbers(1_000), 0, 1_000));
        owner.start();
        // The sink holds message 100; the batch fills the ring behind it and waits for room.
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 100 && owner.getState() !=
            Thread.State.RUNNABLE);
        final Thread stopper = Thread.currentThread();
        final Thread releaser = new Thread(() ->
        {
            // Once the stop has closed this publisher (awaitOwner runs after the close, endSource after closed = true):
            // the batch must find it closed after its next run rather than publish everything.
            Threads.awaitInside(stopper, "awaitOwner", "endSource");
            release.countDown();
        });
        releaser.start();
        final StopResult result = router.stop(Duration.ofSeconds(10));
        owner.join(10_000);
        releaser.join(10_000);
        assertThat(owner.isAlive()).isFalse();
        assertThat(result.isClean()).as(result.toString()).isTrue();
        assertThat(published[0]).as("published before the stop").isBetween(100, 999);
        assertThat(received).as("exactly what the batch said it published").containsExactly(numbers(published[0]));
    }

    private static Router<Integer> router(final String name, final ThreadingMode threading)
    {
        return Router.builder().name(name).ringSize(16).waitStrategy(WaitStrategy.BLOCKING).threading(threading)
            .deliveryThreads(1).stopTimeout(Duration.ofSeconds(10)).build();
    }

    static Integer[] numbers(final int count)
    {
        final Integer[] numbers = new Integer[count];
        for (int i = 0; i < count; i++)
        {
            numbers[i] = i;
        }
        return numbers;
    }
}
