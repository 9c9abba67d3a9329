package io.ringlink;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stop that gives up on a blocked sink reports to an acknowledging source exactly what every sink received, before
 * the source is closed: a durable reader then resumes just after the last message every sink got, not at the last
 * read batch or flush before it.
 */
@Timeout(60)
class AcknowledgingSourceAbandonTest
{
    private static final int MESSAGES = 2_000;
    private static final int BLOCK_AT = 500;
    private static final Duration DRAIN = Duration.ofMillis(300);

    @ParameterizedTest(name = "ring size {0}, unregister first {1}")
    @CsvSource({"64, false", "16384, false", "256, true"})
    void shouldReportWhatEverySinkReceivedWhenAStopAbandonsABlockedSink(final int ringSize, final boolean unregister)
        throws Exception
    {
        final AtomicInteger fast = new AtomicInteger();
        final AtomicInteger blocked = new AtomicInteger();
        final AtomicBoolean blocking = new AtomicBoolean();
        final CountDownLatch release = new CountDownLatch(1);
        final NumberSource source = new NumberSource(fast, blocked);
        try
        {
            final Router<Integer> router = Router.builder().name("abandon").ringSize(ringSize)
                .waitStrategy(WaitStrategy.BLOCKING).stopTimeout(DRAIN).build();
            router.write((Sink<Integer>)(message) -> fast.incrementAndGet());
            router.write((Sink<Integer>)(message) ->
            {
                if (message == BLOCK_AT)
                {
                    blocking.set(true);
                    release.await();
                }
                blocked.incrementAndGet();
            });
            final SourceId id = router.read(source);
            await().atMost(Duration.ofSeconds(30)).until(blocking::get);
            if (unregister)
            {
                router.unregister(id);
            }
            final StopResult result = router.stop(DRAIN);
            assertThat(result.isClean()).isFalse();
        }
        finally
        {
            release.countDown();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> source.reportedBeforeClose >= 0);
        assertThat(source.violations).isEmpty();
        assertThat(blocked.get()).isEqualTo(BLOCK_AT);
        assertThat(source.reportedBeforeClose).as("the last report counts what the blocked sink received")
            .isEqualTo(BLOCK_AT);
    }

    /** Hands out MESSAGES integers, and checks each report against what both sinks have received. */
    private static final class NumberSource implements AcknowledgingSource<Integer>
    {
        private final AtomicInteger fast;
        private final AtomicInteger blocked;
        private final List<Long> reports = new CopyOnWriteArrayList<>();
        private final List<String> violations = new CopyOnWriteArrayList<>();
        private volatile long reportedBeforeClose = -1;
        private int next;

        NumberSource(final AtomicInteger fast, final AtomicInteger blocked)
        {
            this.fast = fast;
            this.blocked = blocked;
        }

        @Override
        public int read(final MessageHandler<? super Integer> handler, final int limit)
        {
            final int count = Math.min(limit, MESSAGES - next);
            if (count == 0)
            {
                // Like an empty queue: nothing now, maybe later.
                LockSupport.parkNanos(1_000_000);
            }
            for (int i = 0; i < count; i++)
            {
                handler.onMessage(next++);
            }
            return count;
        }

        @Override
        public void onDelivered(final long messages)
        {
            if (messages > fast.get() || messages > blocked.get())
            {
                violations.add(messages + " reported, sinks had " + fast.get() + " and " + blocked.get());
            }
            reports.add(messages);
        }

        @Override
        public void close()
        {
            reportedBeforeClose = reports.isEmpty() ? 0 : reports.get(reports.size() - 1);
        }
    }
}
