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

    /**
     * {@code DEDICATED}: a pump thread. {@code SHARED} with a source that reads without blocking: its pump on an agent,
     * with 1 agent the same that runs the blocked sink, with 3 one of its own.
     */
    @ParameterizedTest(name = "ring size {0}, unregister first {1}, {2}, agents {3}")
    @CsvSource({"64, false, DEDICATED, 0", "16384, false, DEDICATED, 0", "256, true, DEDICATED, 0",
        "64, false, SHARED, 1", "16384, false, SHARED, 1", "256, true, SHARED, 1", "64, false, SHARED, 3",
        "256, true, SHARED, 3"})
    void shouldReportWhatEverySinkReceivedWhenAStopAbandonsABlockedSink(
        final int ringSize, final boolean unregister, final ThreadingMode threading, final int agents) throws Exception
    {
        final AtomicInteger fast = new AtomicInteger();
        final AtomicInteger blocked = new AtomicInteger();
        final AtomicBoolean blocking = new AtomicBoolean();
        final CountDownLatch release = new CountDownLatch(1);
        final NumberSource source = new NumberSource(fast, blocked, threading == ThreadingMode.SHARED);
        try
        {
            final Router<Integer> router = Router.builder().name("abandon").ringSize(ringSize)
                .threading(threading).deliveryThreads(Math.max(1, agents))
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
        private final boolean polled;
        private int next;

        NumberSource(final AtomicInteger fast, final AtomicInteger blocked, final boolean polled)
        {
            this.fast = fast;
            this.blocked = blocked;
            this.polled = polled;
        }

        @Override
        public int read(final MessageHandler<? super Integer> handler, final int limit)
        {
            final int count = readAvailable(handler, limit);
            if (count == 0)
            {
                // Like an empty queue: nothing now, maybe later.
                LockSupport.parkNanos(1_000_000);
            }
            return count;
        }

        @Override
        public int readAvailable(final MessageHandler<? super Integer> handler, final int limit)
        {
            final int count = Math.min(limit, MESSAGES - next);
            for (int i = 0; i < count; i++)
            {
                handler.onMessage(next++);
            }
            return count;
        }

        @Override
        public boolean readsWithoutBlocking()
        {
            return polled;
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
