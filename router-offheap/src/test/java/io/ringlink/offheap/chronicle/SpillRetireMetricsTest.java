package io.ringlink.offheap.chronicle;

import io.ringlink.Publisher;
import io.ringlink.Router;
import io.ringlink.RouterMetrics;
import io.ringlink.Sink;
import io.ringlink.SinkId;
import io.ringlink.SinkOptions;
import io.ringlink.ThreadingMode;
import io.ringlink.WaitStrategy;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A spill sink's delivered count passes into the router's retired total in one step with the sink leaving the
 * registry: spill sinks are written, fed, drained and removed one after another while another thread reads
 * {@code metrics()} as fast as it can; the router's delivered total never goes down and ends exact. {@link #ROUNDS}
 * sinks per threading mode ({@value #SHORT_ROUNDS} by default, {@code -Dringlink.spill.rounds=N} for more).
 */
@Timeout(120)
class SpillRetireMetricsTest
{
    private static final int SHORT_ROUNDS = 12;
    private static final int ROUNDS = Integer.getInteger("ringlink.spill.rounds", SHORT_ROUNDS);
    private static final int MESSAGES = 200;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void theDeliveredTotalNeverGoesDownWhileSpillSinksAreRemoved(final ThreadingMode threading) throws Exception
    {
        final AtomicLong ceiling = new AtomicLong();
        final AtomicLong highest = new AtomicLong();
        final AtomicLong worstDrop = new AtomicLong();
        final AtomicLong downs = new AtomicLong();
        final AtomicLong aboveCeiling = new AtomicLong();
        final AtomicLong samples = new AtomicLong();
        final AtomicBoolean reading = new AtomicBoolean(true);
        try (Router<Long> router = Router.builder().name("spill-retire-" + threading).threading(threading)
            .deliveryThreads(1).waitStrategy(WaitStrategy.BLOCKING).build())
        {
            final Thread reader = new Thread(() ->
            {
                while (reading.get())
                {
                    final long delivered = router.metrics().delivered();
                    final long before = highest.getAndAccumulate(delivered, Math::max);
                    if (delivered < before)
                    {
                        worstDrop.accumulateAndGet(before - delivered, Math::max);
                        downs.incrementAndGet();
                    }
                    if (delivered > ceiling.get())
                    {
                        aboveCeiling.incrementAndGet();
                    }
                    samples.incrementAndGet();
                }
            }, "metrics-reader");
            final Publisher<Long> publisher = router.publisher("feed");
            reader.start();
            try
            {
                for (int round = 0; round < ROUNDS; round++)
                {
                    final CountingSink sink = new CountingSink();
                    final SinkId id = router.write(sink,
                        SinkOptions.spill("chronicle:" + dir.resolve("q" + round) + "?codec=longs"));
                    ceiling.addAndGet(MESSAGES);
                    for (long i = 0; i < MESSAGES; i++)
                    {
                        publisher.publish(i);
                    }
                    await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() == MESSAGES);
                    final RouterMetrics.SinkMetrics own = router.metrics().sinks().get(0);
                    assertThat(own.id()).isEqualTo(id);
                    assertThat(own.delivered()).isEqualTo(MESSAGES);
                    assertThat(router.unregister(id)).isTrue();
                    final long expected = (long)(round + 1) * MESSAGES;
                    assertThat(router.metrics().sinks()).isEmpty();
                    assertThat(router.metrics().delivered()).as("after round %d", round).isEqualTo(expected);
                }
            }
            finally
            {
                reading.set(false);
                reader.join(10_000);
            }
            assertThat(reader.isAlive()).isFalse();
            assertThat(samples.get()).isPositive();
            assertThat(worstDrop.get()).as("the delivered total went down in %d of %d samples, at worst by",
                downs.get(), samples.get()).isZero();
            assertThat(aboveCeiling.get()).as("samples above what was published").isZero();
            assertThat(router.metrics().delivered()).isEqualTo((long)ROUNDS * MESSAGES);
        }
    }

    /** Counts what its spill hands it. */
    private static final class CountingSink implements Sink<Long>
    {
        private final AtomicLong count = new AtomicLong();

        @Override
        public void onMessage(final Long message)
        {
            count.incrementAndGet();
        }

        long count()
        {
            return count.get();
        }
    }
}
