package io.ringlink;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link AcknowledgingSource}: the router's first report comes before the source's first read, with 0, in either
 * threading mode: for a source read before its sink joins, and for a router stopped as soon as the source is in
 * (whose pump's first step may be the stop's move of what the source holds).
 */
@Timeout(60)
class FirstReportTest
{
    private static final int MESSAGES = 1_000;
    private static final int ROUNDS = 20;

    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void shouldReportZeroBeforeTheFirstReadWhenTheSinkJoinsLater(final ThreadingMode threading) throws Exception
    {
        final HeldSource source = new HeldSource(MESSAGES);
        final AtomicInteger received = new AtomicInteger();
        try (Router<Integer> router = Router.builder().name("first").ringSize(64).threading(threading)
            .waitStrategy(WaitStrategy.BLOCKING).build())
        {
            router.read(source);
            // No sink yet: nothing is read, so nothing is reported either.
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                .until(() -> source.reads.get() == 0 && source.reports.isEmpty());
            router.write((Sink<Integer>)(message) -> received.incrementAndGet());
            await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == MESSAGES);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> source.closed);
        assertThat(source.violations).isEmpty();
        assertThat(source.reports.get(0)).isZero();
        assertThat(source.reports.get(source.reports.size() - 1)).isEqualTo(MESSAGES);
    }

    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void shouldReportZeroBeforeTheFirstReadWhenTheRouterStopsAtOnce(final ThreadingMode threading) throws Exception
    {
        for (int round = 0; round < ROUNDS; round++)
        {
            final HeldSource source = new HeldSource(MESSAGES);
            final AtomicInteger received = new AtomicInteger();
            try (Router<Integer> router = Router.builder().name("stop").ringSize(64).threading(threading)
                .waitStrategy(WaitStrategy.BLOCKING).stopTimeout(Duration.ofSeconds(5)).build())
            {
                router.write((Sink<Integer>)(message) -> received.incrementAndGet());
                router.read(source);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> source.closed);
            assertThat(source.violations).as("round %d", round).isEmpty();
            if (source.reads.get() > 0)
            {
                assertThat(source.reports.get(0)).as("round %d", round).isZero();
                assertThat(source.reports.get(source.reports.size() - 1)).as("round %d", round)
                    .isEqualTo(received.get());
            }
        }
    }

    /** Holds its messages (a backlog a stop moves), reads without blocking, and checks when it is reported to. */
    private static final class HeldSource implements AcknowledgingSource<Integer>
    {
        private final int messages;
        private final AtomicInteger reads = new AtomicInteger();
        private final List<Long> reports = new CopyOnWriteArrayList<>();
        private final List<String> violations = new CopyOnWriteArrayList<>();
        private volatile boolean closed;
        private int next;

        HeldSource(final int messages)
        {
            this.messages = messages;
        }

        @Override
        public int read(final MessageHandler<? super Integer> handler, final int limit)
        {
            return readAvailable(handler, limit);
        }

        @Override
        public int readAvailable(final MessageHandler<? super Integer> handler, final int limit)
        {
            if (reports.isEmpty())
            {
                violations.add("read " + (reads.get() + 1) + " before any report");
            }
            reads.incrementAndGet();
            if (next == messages)
            {
                return END_OF_STREAM;
            }
            final int count = Math.min(limit, messages - next);
            for (int i = 0; i < count; i++)
            {
                handler.onMessage(next++);
            }
            return count;
        }

        @Override
        public boolean readsWithoutBlocking()
        {
            return true;
        }

        @Override
        public long backlog()
        {
            return messages - next;
        }

        @Override
        public void onDelivered(final long delivered)
        {
            if (delivered > next)
            {
                violations.add(delivered + " reported, " + next + " handed");
            }
            reports.add(delivered);
        }

        @Override
        public Object endpoint()
        {
            return this;
        }

        @Override
        public void close()
        {
            closed = true;
        }
    }
}
