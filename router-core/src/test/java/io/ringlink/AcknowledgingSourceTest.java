package io.ringlink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class AcknowledgingSourceTest
{
    private static final int MESSAGES = 5_000;

    @Test
    void shouldReportOnlyWhatEverySinkHasReceivedAndFlushedAndFinallyEverything() throws Exception
    {
        final AtomicInteger fast = new AtomicInteger();
        final AtomicInteger slow = new AtomicInteger();
        final CountingSource source = new CountingSource(fast, slow);
        try (Router<Integer> router = Router.builder().name("ack").ringSize(64).waitStrategy(WaitStrategy.BLOCKING)
            .build())
        {
            router.write((Sink<Integer>)(message) -> fast.incrementAndGet());
            router.write(new Sink<Integer>()
            {
                private int unflushed;

                @Override
                public void onMessage(final Integer message)
                {
                    if ((message & 63) == 0)
                    {
                        Thread.yield();
                    }
                    unflushed++;
                }

                @Override
                public void onEndOfBatch()
                {
                    // A slow flush: the messages count only once it is done.
                    LockSupport.parkNanos(200_000);
                    slow.addAndGet(unflushed);
                    unflushed = 0;
                }
            });
            router.read(source);
            assertThat(((io.ringlink.internal.DisruptorRouter<Integer>)router)
                .awaitSourcesCompleted(Duration.ofSeconds(30))).isTrue();
        }
        // The pump closes its source just after the ring retires, possibly after close() returned.
        await().atMost(Duration.ofSeconds(10)).until(() -> source.reportedBeforeClose >= 0);
        assertThat(source.violations).isEmpty();
        assertThat(source.reports).isNotEmpty().isSorted();
        assertThat(source.reports.get(0)).as("the first report, before any read").isZero();
        assertThat(source.readsBeforeFirstReport).isZero();
        assertThat(source.reports.get(source.reports.size() - 1)).isEqualTo(MESSAGES);
        assertThat(source.reportedBeforeClose).isEqualTo(MESSAGES);
    }

    /** Hands out MESSAGES integers and checks each report against what both sinks have counted (one when flushed). */
    private static final class CountingSource implements AcknowledgingSource<Integer>
    {
        private final AtomicInteger fast;
        private final AtomicInteger slow;
        private final List<Long> reports = new CopyOnWriteArrayList<>();
        private final List<String> violations = new CopyOnWriteArrayList<>();
        private volatile long reportedBeforeClose = -1;
        private int next;
        private int readsBeforeFirstReport;

        CountingSource(final AtomicInteger fast, final AtomicInteger slow)
        {
            this.fast = fast;
            this.slow = slow;
        }

        @Override
        public int read(final MessageHandler<? super Integer> handler, final int limit)
        {
            if (reports.isEmpty())
            {
                readsBeforeFirstReport++;
            }
            if (next == MESSAGES)
            {
                return END_OF_STREAM;
            }
            final int count = Math.min(limit, MESSAGES - next);
            for (int i = 0; i < count; i++)
            {
                handler.onMessage(next++);
            }
            return count;
        }

        @Override
        public void onDelivered(final long messages)
        {
            if (messages > fast.get() || messages > slow.get())
            {
                violations.add(messages + " reported, sinks had " + fast.get() + " and " + slow.get());
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
