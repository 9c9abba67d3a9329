package io.ringlink.aeron;

import io.ringlink.Router;
import io.ringlink.StopResult;
import io.ringlink.ThreadingMode;
import io.ringlink.WaitStrategy;
import io.ringlink.test.Threads;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13: in {@code SHARED}, a live {@code aeron:} subscription reads without blocking and runs on a delivery agent,
 * with no pump thread of its own; messages arrive in order and a stop leaves no router thread.
 */
class AeronSharedTest
{
    private static final long COUNT = 100_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BLOCKING", "YIELDING"})
    @Timeout(120)
    void shouldRunALiveSubscriptionOnAnAgentAndDeliverInOrder(final WaitStrategy wait) throws Exception
    {
        final String name = "aeron-shared-" + wait.name().toLowerCase();
        final String uri = "aeron:ipc?stream=31|codec=longs|connect-timeout=30s|dir=" + dir.resolve("d");
        final AeronTestSupport.SequenceChecker checker = new AeronTestSupport.SequenceChecker(false);
        final Router<Object> router = Router.builder().name(name).ringSize(1024).waitStrategy(wait)
            .threading(ThreadingMode.SHARED).deliveryThreads(2).build();
        final AeronSource<?> source = AeronSource.open(uri);
        assertThat(source.readsWithoutBlocking()).isTrue();
        try (AeronSink<?> sink = AeronSink.open(uri))
        {
            router.write((Consumer<Object>)checker);
            router.read(source);
            assertThat(Threads.liveThreadsNamed("ringlink-" + name + "-")).as("the agents only")
                .hasSize(2).allMatch((thread) -> thread.contains("-agent-"));
            @SuppressWarnings("unchecked")
            final AeronSink<Long> longs = (AeronSink<Long>)sink;
            for (long i = 0; i < COUNT; i++)
            {
                longs.onMessage(i);
            }
            longs.onEndOfBatch();
            await().atMost(Duration.ofSeconds(60)).until(() -> checker.received.get() >= COUNT ||
                checker.error.get() != null);
        }
        finally
        {
            final StopResult result = router.stop(Duration.ofSeconds(10));
            assertThat(result.isClean()).as(result.toString()).isTrue();
        }
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
        assertThat(checker.error.get()).isNull();
        assertThat(checker.received.get()).isEqualTo(COUNT);
        assertThat(source.gaps()).isZero();
    }
}
