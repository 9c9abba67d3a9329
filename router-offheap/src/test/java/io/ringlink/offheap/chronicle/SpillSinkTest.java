package io.ringlink.offheap.chronicle;

import io.ringlink.Publisher;
import io.ringlink.Router;
import io.ringlink.RouterMetrics;
import io.ringlink.SequenceSink;
import io.ringlink.SinkId;
import io.ringlink.SinkOptions;
import io.ringlink.StalledSink;
import io.ringlink.WaitStrategy;
import io.ringlink.test.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code SinkOptions.spill(chronicle:DIR)}: a sink stalled on a latch beside two fast sinks, one source publishing
 * {@link #MESSAGES} (1M by default, {@code -Dringlink.slowSinks.messages=N} to change): the fast sinks receive
 * everything while the stalled sink is stalled, and once released it receives everything, in order, from its spill
 * queue, which is deleted with the sink.
 */
@Timeout(180)
class SpillSinkTest
{
    private static final int MESSAGES = Integer.getInteger("ringlink.slowSinks.messages", 1_000_000);
    private static final int RING = 1024;

    @TempDir
    Path dir;

    private static Router<Long> router(final String name)
    {
        return Router.builder().name(name).ringSize(RING).waitStrategy(WaitStrategy.BLOCKING).build();
    }

    private static RouterMetrics.SinkMetrics metricsOf(final Router<?> router, final SinkId id)
    {
        return router.metrics().sinks().stream().filter((sink) -> sink.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void theFastSinksHaveEverythingWhileTheStalledOneSpillsThenItGetsEverythingInOrder() throws Exception
    {
        final Path queue = dir.resolve("spill-a");
        final StalledSink stalled = new StalledSink();
        final SequenceSink fastA = new SequenceSink(1);
        final SequenceSink fastB = new SequenceSink(1);
        try (Router<Long> router = router("spill"))
        {
            final SinkId slowId = router.write(stalled, SinkOptions.spill("chronicle:" + queue + "?codec=longs"));
            router.write(fastA);
            router.write(fastB);
            final Publisher<Long> publisher = router.publisher("feed");
            publisher.publish(0L);
            stalled.awaitStalled();
            for (long i = 1; i < MESSAGES; i++)
            {
                publisher.publish(i);
            }
            await().atMost(Duration.ofSeconds(90))
                .until(() -> fastA.count() == MESSAGES && fastB.count() == MESSAGES);
            assertThat(stalled.count()).isEqualTo(1);
            // Everything waits in the ring or the spill queue (the message it is stalled in counts once it returns).
            await().atMost(Duration.ofSeconds(30)).until(() -> metricsOf(router, slowId).lag() == MESSAGES);
            assertThat(router.isDrained()).isFalse();
            assertThat(Files.isDirectory(queue)).isTrue();

            stalled.release();
            await().atMost(Duration.ofSeconds(90)).until(() -> stalled.count() == MESSAGES);
            assertThat(stalled.problems()).isEmpty();
            assertThat(stalled.last()).isEqualTo(MESSAGES - 1);
            await().atMost(Duration.ofSeconds(30)).until(router::isDrained);
            final RouterMetrics.SinkMetrics slow = metricsOf(router, slowId);
            assertThat(slow.delivered()).isEqualTo(MESSAGES);
            assertThat(slow.lag()).isZero();
            assertThat(slow.dropped()).isZero();

            assertThat(router.unregister(slowId)).isTrue();
            assertThat(stalled.isClosed()).isTrue();
            assertThat(queue).doesNotExist();
        }
        assertThat(fastA.problems()).isEmpty();
        assertThat(fastB.problems()).isEmpty();
        Threads.assertNoThreadsNamed("ringlink-spill-");
    }

    @Test
    void theRouterStopDrainsTheSpillQueueAndDeletesIt() throws Exception
    {
        final Path queue = dir.resolve("spill-b");
        final StalledSink stalled = new StalledSink();
        final Router<Long> router = router("spill-stop");
        router.write(stalled, SinkOptions.spill("chronicle:" + queue + "?codec=longs"));
        final Publisher<Long> publisher = router.publisher("feed");
        for (long i = 0; i < 5 * RING; i++)
        {
            publisher.publish(i);
        }
        stalled.awaitStalled();
        stalled.release();
        assertThat(router.stop(Duration.ofSeconds(30)).isClean()).isTrue();
        assertThat(stalled.count()).isEqualTo(5 * RING);
        assertThat(stalled.problems()).isEmpty();
        assertThat(stalled.isClosed()).isTrue();
        assertThat(queue).doesNotExist();
        Threads.assertNoThreadsNamed("ringlink-spill-stop-");
    }

    @Test
    void aSpillQueueThatExistsIsRefusedAndLeftAlone() throws Exception
    {
        final Path queue = Files.createDirectories(dir.resolve("taken"));
        final Path kept = Files.writeString(queue.resolve("keep.txt"), "mine");
        try (Router<Long> router = router("spill-taken"))
        {
            assertThatThrownBy(() -> router.write(new SequenceSink(1), SinkOptions.spill("chronicle:" + queue)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
            assertThat(router.metrics().sinks()).isEmpty();
        }
        assertThat(kept).exists();
    }
}
