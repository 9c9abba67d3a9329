package io.ringlink.stress;

import io.ringlink.Publisher;
import io.ringlink.Router;
import io.ringlink.SequenceSink;
import io.ringlink.StopResult;
import io.ringlink.WaitStrategy;
import io.ringlink.ThreadingMode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sink that is not thread-safe gains sources back to back while it is busy: each new source's delivery must wait
 * until the sink's other deliveries have acknowledged that they lock the sink from now on. A delivery that clears an
 * alert it has not answered (it read the request before clearing the alert) leaves a sibling waiting for ever, and
 * that sibling's publisher blocks once its ring fills. Every bounded publish must succeed and the counts be exact.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
@ParameterizedClass(name = "{0}")
@EnumSource(ThreadingMode.class)
class FanInHandshakeStressTest
{
    /** Every test runs in both threading modes. */
    @Parameter
    ThreadingMode threading;

    private static final int SOURCES = 4;
    private static final int MESSAGES = 200;
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(3);

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BLOCKING", "YIELDING", "SLEEPING"})
    void shouldStartEveryDeliveryOfASharedSinkAddedBackToBack(final WaitStrategy strategy) throws Exception
    {
        final int rounds = Stress.rounds(150, 3_000);
        for (int round = 0; round < rounds; round++)
        {
            runRound(strategy, round);
        }
    }

    private void runRound(final WaitStrategy strategy, final int round) throws InterruptedException
    {
        final SequenceSink sink = SequenceSink.slow(SOURCES, 2_000);
        final Router<Long> router = Router.builder().threading(threading)
            .name("handshake").ringSize(16).waitStrategy(strategy)
            .stopTimeout(Duration.ofSeconds(5)).build();
        final AtomicInteger refused = new AtomicInteger();
        final List<Thread> threads = new ArrayList<>();
        try
        {
            router.write(sink);
            for (int s = 0; s < SOURCES; s++)
            {
                final int source = s;
                final Publisher<Long> publisher = router.publisher("p" + s);
                final Thread thread = new Thread(() ->
                {
                    for (long i = 0; i < MESSAGES; i++)
                    {
                        if (!publisher.publish(SequenceSink.message(source, i), PUBLISH_TIMEOUT))
                        {
                            refused.incrementAndGet();
                            return;
                        }
                    }
                }, "stress-publisher-" + s);
                threads.add(thread);
                thread.start();
            }
            for (final Thread thread : threads)
            {
                thread.join(PUBLISH_TIMEOUT.toMillis() * 3);
            }
        }
        finally
        {
            final StopResult result = router.stop(Duration.ofSeconds(5));
            for (final Thread thread : threads)
            {
                thread.join(PUBLISH_TIMEOUT.toMillis() * 3);
            }
            final String where = "round " + round + " (" + strategy + ")";
            assertThat(refused.get()).as("publishes that found no room for " + PUBLISH_TIMEOUT + " in " + where)
                .isZero();
            assertThat(result.isClean()).as("stop in " + where + ": " + result).isTrue();
            assertThat(sink.problems()).as(where).isEmpty();
            assertThat(sink.count()).as("delivered in " + where).isEqualTo((long)SOURCES * MESSAGES);
        }
    }
}
