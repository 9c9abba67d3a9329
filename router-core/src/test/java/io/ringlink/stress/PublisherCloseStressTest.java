package io.ringlink.stress;

import io.ringlink.Publisher;
import io.ringlink.Router;
import io.ringlink.StopResult;
import io.ringlink.WaitStrategy;
import io.ringlink.ThreadingMode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A single-threaded publisher's owner publishing while another thread ends the source at a random moment: by
 * stopping the router, closing the publisher or unregistering it. Only the owner may ever claim in a single-producer
 * ring; a closer that claims too can lose a publish that returned, overwrite the end marker, or leave the end
 * unpublished so that the stop runs to its timeout. Every publish that returned must be delivered, in order, once,
 * and every stop must be clean. The owner publishes one message at a time ({@code publish}) or in batches of random
 * size up to three rings ({@code publishBatch}, also of a concurrent publisher: every message it counted must be
 * delivered, none it did not).
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
@ParameterizedClass(name = "{0}")
@EnumSource(ThreadingMode.class)
class PublisherCloseStressTest
{
    /** Every test runs in both threading modes. */
    @Parameter
    ThreadingMode threading;

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(3);

    enum Closer
    {
        STOP, CLOSE_PUBLISHER, UNREGISTER
    }

    enum Publish
    {
        ONE, BATCH, CONCURRENT_BATCH
    }

    static Stream<Arguments> configurations()
    {
        final List<Arguments> configurations = new ArrayList<>();
        for (final int ringSize : new int[]{4, 1024})
        {
            for (final WaitStrategy strategy : WaitStrategy.values())
            {
                for (final Closer closer : Closer.values())
                {
                    configurations.add(Arguments.of(ringSize, strategy, closer, Publish.ONE));
                    if (strategy == WaitStrategy.BLOCKING || strategy == WaitStrategy.YIELDING)
                    {
                        configurations.add(Arguments.of(ringSize, strategy, closer, Publish.BATCH));
                        configurations.add(Arguments.of(ringSize, strategy, closer, Publish.CONCURRENT_BATCH));
                    }
                }
            }
        }
        return configurations.stream();
    }

    @ParameterizedTest(name = "ring {0}, {1}, {2}, {3}")
    @MethodSource("configurations")
    void shouldDeliverEveryPublishThatReturnedWhenAnotherThreadEndsTheSource(
        final int ringSize, final WaitStrategy strategy, final Closer closer, final Publish publish) throws Exception
    {
        final int rounds = Stress.rounds(120, 3_000);
        // Not vacuous: the rounds go on until the owner was still publishing when the close began in at least half
        // as many rounds as asked for. On a loaded machine the owner is sometimes descheduled across the close, and
        // such a round proves nothing; the cap keeps a test that never sees the race from running for ever.
        final int racesWanted = rounds / 2;
        final int maxRounds = rounds * 4;
        int raced = 0;
        int round = 0;
        while (round < rounds || (raced < racesWanted && round < maxRounds))
        {
            raced += runRound(ringSize, strategy, closer, publish, round) ? 1 : 0;
            round++;
        }
        assertThat(raced).as("rounds of " + round + " in which the owner published after the close began")
            .isGreaterThanOrEqualTo(racesWanted);
    }

    /** One round; returns whether the owner published after the close began (the two really raced). */
    private boolean runRound(final int ringSize, final WaitStrategy strategy, final Closer closer,
        final Publish publish, final int round) throws InterruptedException
    {
        final List<Long> received = new ArrayList<>();
        final Router<Long> router = Router.builder().threading(threading)
            .name("close-race").ringSize(ringSize).waitStrategy(strategy)
            .stopTimeout(STOP_TIMEOUT).build();
        router.write((Consumer<Long>)received::add);
        final Publisher<Long> publisher = publish == Publish.CONCURRENT_BATCH ? router.concurrentPublisher("owner") :
            router.publisher("owner");
        final long[] lastReturned = {-1};
        final AtomicLong returned = new AtomicLong();
        final Throwable[] unexpected = new Throwable[1];
        final Thread owner = new Thread(() ->
        {
            try
            {
                if (publish != Publish.ONE)
                {
                    publishBatches(publisher, ringSize, lastReturned, returned);
                }
                for (long i = 0; ; i++)
                {
                    publisher.publish(i);
                    lastReturned[0] = i;
                    returned.lazySet(i + 1);
                }
            }
            catch (final IllegalStateException expected)
            {
                // The source ended: the loop is over.
            }
            catch (final Throwable ex)
            {
                unexpected[0] = ex;
            }
        }, "stress-owner");
        owner.start();
        // The random moment is counted from the owner's first publish, not from its thread's start.
        while (returned.get() == 0 && owner.isAlive())
        {
            Thread.onSpinWait();
        }
        Stress.spinRandomly(ringSize == 4 ? 50_000 : 300_000);
        final long returnedBeforeClose = returned.get();

        final StopResult result;
        switch (closer)
        {
            case CLOSE_PUBLISHER -> publisher.close();
            case UNREGISTER -> router.unregister(publisher.id());
            default ->
            {
            }
        }
        if (closer != Closer.STOP)
        {
            owner.join(STOP_TIMEOUT.toMillis() * 2);
        }
        result = router.stop(STOP_TIMEOUT);
        owner.join(STOP_TIMEOUT.toMillis() * 2);

        final String where = "round " + round + " (" + closer + ", ring " + ringSize + ", " + strategy + ", " +
            publish + ")";
        assertThat(owner.isAlive()).as("owner still publishing after " + where).isFalse();
        assertThat(unexpected[0]).as("owner failed in " + where).isNull();
        assertThat(result.isClean()).as("stop not clean in " + where + ": " + result).isTrue();
        final long expected = lastReturned[0] + 1;
        assertThat(received.size()).as("messages received in " + where).isGreaterThanOrEqualTo((int)expected);
        for (int i = 0; i < received.size(); i++)
        {
            if (received.get(i) != i)
            {
                assertThat(received.get(i)).as("message " + i + " in " + where).isEqualTo(i);
            }
        }
        // Every publish that returned is delivered; one that failed is not.
        assertThat(received).as("delivered beyond the last publish that returned in " + where).hasSize((int)expected);
        return expected > returnedBeforeClose;
    }

    /** Batches of 1 to three rings of messages until the source ends (the call after a short batch throws). */
    private static void publishBatches(final Publisher<Long> publisher, final int ringSize, final long[] lastReturned,
        final AtomicLong returned)
    {
        final Long[] batch = new Long[ringSize * 3];
        long next = 0;
        while (true)
        {
            final int length = 1 + ThreadLocalRandom.current().nextInt(batch.length);
            for (int i = 0; i < length; i++)
            {
                batch[i] = next + i;
            }
            final int published = publisher.publishBatch(batch, 0, length);
            next += published;
            lastReturned[0] = next - 1;
            returned.lazySet(next);
        }
    }
}
