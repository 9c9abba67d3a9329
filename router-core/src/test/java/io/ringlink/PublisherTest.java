package io.ringlink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The publisher's three ways to meet a full ring: wait, refuse, or wait a while.
 */
@Timeout(60)
class PublisherTest
{
    @Test
    void shouldRefuseWhenTheRingIsFullAndWaitAtMostTheTimeout()
    {
        final BlockingQueue<Integer> full = new ArrayBlockingQueue<>(1);
        try (Router<Integer> router = Router.builder().name("full-ring").ringSize(4)
            .stopTimeout(Duration.ofMillis(200)).build())
        {
            router.write(full);
            final Publisher<Integer> publisher = router.publisher("p");
            int accepted = 0;
            while (publisher.tryPublish(accepted))
            {
                accepted++;
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> full.size() == 1);
            while (publisher.tryPublish(accepted))
            {
                accepted++;
            }
            // One in the queue, then the ring's four slots: the message the sink is blocked on and three more.
            assertThat(accepted).isEqualTo(5);
            final long start = System.nanoTime();
            assertThat(publisher.publish(99, Duration.ofMillis(100))).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));

            full.clear();
            await().atMost(Duration.ofSeconds(5)).until(() -> publisher.publish(100, Duration.ofMillis(10)));
            final StopResult result = router.stop(Duration.ofMillis(200));
            // Published 0..4 and 100; delivered 0, then 1 after the clear; 2 is in the sink's hands.
            assertThat(result.undelivered()).isEqualTo(4);
        }
    }

    @Test
    void shouldRefuseNullAndPublishingAfterClose()
    {
        try (Router<String> router = Router.builder().name("publisher-close").build())
        {
            final Publisher<String> publisher = router.publisher("p");
            assertThatThrownBy(() -> publisher.publish(null)).isInstanceOf(NullPointerException.class);
            publisher.close();
            publisher.close();
            assertThatThrownBy(() -> publisher.publish("x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
            await().atMost(Duration.ofSeconds(5)).until(() -> router.metrics().sources().isEmpty());
            assertThatThrownBy(() -> router.publisher("")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
