package io.ringlink.stress;

import io.ringlink.Publisher;
import io.ringlink.Router;
import io.ringlink.Sink;
import io.ringlink.ThreadingMode;
import io.ringlink.WaitStrategy;
import io.ringlink.test.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code SHARED} with {@code BLOCKING}: an idle agent parks and every publish must wake it. Two publishers on their
 * own threads, each on its own ring read by the same single agent, publish one message at a time and wait for it to
 * arrive before the next, after a random pause, so that nearly every message meets an agent that is going to sleep
 * or asleep. The agent spins and yields before it parks, so a third of the pauses are long (up to
 * {@link #LONG_PAUSE_NANOS}): those messages find it parked or parking, the others find it spinning, yielding or
 * raising its flag. The agent parks with no timeout: a lost wake-up leaves a message undelivered for good, and the
 * round fails after {@link #ARRIVAL_TIMEOUT_NANOS}. A publisher waiting for its message yields (three threads share
 * two cores: one that spun would keep the yielding agent off the core for whole time slices). The agent's protocol
 * itself is proven by jcstress ({@code io.ringlink.jcstress.SleepFlagTest}), which this test complements end to end.
 * Rounds: {@code -Dringlink.stress=long} or {@code -Dringlink.stress.rounds=N} (default short: 4 rounds of 5,000
 * messages per publisher).
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class AgentWakeupStressTest
{
    private static final int MESSAGES = 5_000;
    private static final long ARRIVAL_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long SHORT_PAUSE_NANOS = 20_000;
    private static final long LONG_PAUSE_NANOS = 1_000_000;

    @Test
    void everyPublishWakesTheSleepingAgent() throws Exception
    {
        final int rounds = Stress.rounds(4, 100);
        for (int round = 0; round < rounds; round++)
        {
            runRound(round);
        }
        Threads.assertNoThreadsNamed("ringlink-wakeup-");
    }

    private static void runRound(final int round) throws Exception
    {
        final AtomicLong[] received = {new AtomicLong(), new AtomicLong()};
        final Router<Integer> router = Router.builder().name("wakeup").threading(ThreadingMode.SHARED)
            .deliveryThreads(1).waitStrategy(WaitStrategy.BLOCKING).ringSize(64).build();
        final String[] failures = new String[2];
        try
        {
            router.write((Sink<Integer>)(message) -> received[message].incrementAndGet());
            final Thread[] publishers = new Thread[2];
            for (int p = 0; p < 2; p++)
            {
                final int index = p;
                final Publisher<Integer> publisher = router.publisher("p" + p);
                publishers[p] = new Thread(() -> failures[index] = publishAndAwait(publisher, received[index], index),
                    "wakeup-publisher-" + p);
                publishers[p].start();
            }
            for (final Thread publisher : publishers)
            {
                publisher.join(TimeUnit.MINUTES.toMillis(5));
                assertThat(publisher.isAlive()).as("publisher still running").isFalse();
            }
        }
        finally
        {
            router.close();
        }
        assertThat(failures).as("round " + round).containsOnlyNulls();
        assertThat(received[0].get()).isEqualTo(MESSAGES);
        assertThat(received[1].get()).isEqualTo(MESSAGES);
    }

    private static String publishAndAwait(
        final Publisher<Integer> publisher, final AtomicLong received, final int index)
    {
        for (int i = 1; i <= MESSAGES; i++)
        {
            Stress.spinRandomly(i % 3 == 0 ? LONG_PAUSE_NANOS : SHORT_PAUSE_NANOS);
            publisher.publish(index);
            final long deadline = System.nanoTime() + ARRIVAL_TIMEOUT_NANOS;
            while (received.get() < i)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    return "message " + i + " of publisher " + index + " not delivered within 5 s: a lost wake-up";
                }
                Thread.yield();
            }
        }
        return null;
    }
}
