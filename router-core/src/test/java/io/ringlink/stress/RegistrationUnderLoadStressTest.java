package io.ringlink.stress;

import io.ringlink.Publisher;
import io.ringlink.Router;
import io.ringlink.SequenceSink;
import io.ringlink.SinkId;
import io.ringlink.StopResult;
import io.ringlink.WaitStrategy;
import io.ringlink.test.Threads;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sinks and sources come and go while two publishers run flat out. Every sink must see a gap-free, in-order suffix of
 * each source from the moment it was added until it was removed; a sink that stays for the whole run sees everything;
 * nothing is delivered twice; the stop is clean and leaves no thread.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class RegistrationUnderLoadStressTest
{
    private static final int PUBLISHERS = 2;

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BLOCKING", "YIELDING"})
    void shouldKeepEverySinkGapFreeWhileEndpointsComeAndGo(final WaitStrategy strategy) throws Exception
    {
        final int changes = Stress.rounds(300, 5_000);
        final String name = "churn-" + strategy.name().toLowerCase();
        final Router<Long> router = Router.builder().name(name).ringSize(256).waitStrategy(strategy)
            .stopTimeout(Duration.ofSeconds(10)).build();
        final SequenceSink steady = new SequenceSink(PUBLISHERS + 1);
        router.write(steady);
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong[] published = new AtomicLong[PUBLISHERS];
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++)
        {
            final int source = p;
            published[p] = new AtomicLong();
            final Publisher<Long> publisher = router.publisher("p" + p);
            final Thread thread = new Thread(() ->
            {
                long i = 0;
                while (running.get())
                {
                    publisher.publish(SequenceSink.message(source, i++));
                    published[source].set(i);
                }
                publisher.close();
            }, "stress-publisher-" + p);
            threads.add(thread);
            thread.start();
        }

        final List<SequenceSink> churned = new ArrayList<>();
        final List<SinkId> live = new ArrayList<>();
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        long burstSequence = 0;
        for (int change = 0; change < changes; change++)
        {
            if (live.isEmpty() || random.nextBoolean())
            {
                final SequenceSink sink = SequenceSink.startingAnywhere(PUBLISHERS + 1);
                churned.add(sink);
                live.add(router.write(sink));
            }
            else
            {
                assertThat(router.unregister(live.remove(random.nextInt(live.size())))).isTrue();
            }
            if (change % 50 == 25)
            {
                // A short-lived third source: added, publishes a burst, closed; the next burst goes on numbering.
                try (Publisher<Long> burst = router.publisher("burst-" + change))
                {
                    for (int i = 0; i < 100; i++)
                    {
                        burst.publish(SequenceSink.message(PUBLISHERS, burstSequence++));
                    }
                }
            }
            Stress.spinRandomly(200_000);
        }
        running.set(false);
        for (final Thread thread : threads)
        {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        final StopResult result = router.stop(Duration.ofSeconds(10));

        assertThat(result.isClean()).as(result.toString()).isTrue();
        assertThat(steady.problems()).isEmpty();
        long total = 0;
        for (final AtomicLong count : published)
        {
            total += count.get();
        }
        // The steady sink saw both publishers' every message and every burst in full.
        final long bursts = (changes + 24) / 50;
        assertThat(steady.count()).isEqualTo(total + bursts * 100);
        for (final SequenceSink sink : churned)
        {
            assertThat(sink.problems()).isEmpty();
        }
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
    }
}
