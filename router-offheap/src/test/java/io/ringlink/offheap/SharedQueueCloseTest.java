package io.ringlink.offheap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 11 item 9: nothing taken from the file is lost when a queue closes, whatever its background takes were doing.
 */
class SharedQueueCloseTest
{
    static final int ROUNDS = Integer.getInteger("ringlink.stress.rounds", 300);

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void shouldLeaveInTheFileEveryElementAFutureDidNotCompleteWithWhenTheQueueCloses() throws Exception
    {
        final Path file = dir.resolve("queue");
        final List<Long> delivered = new ArrayList<>();
        try (SharedQueue<Long> producer = SharedQueue.create(file, 1 << 16, Codecs.longs()))
        {
            for (long i = 0; i < ROUNDS; i++)
            {
                final SharedQueue<Long> consumer = SharedQueue.open(file, Codecs.longs());
                final CompletableFuture<Long> taken = consumer.takeAsync();
                producer.put(i);
                // cancel at a random moment: before, while or after the background take reads the element
                final int spins = ThreadLocalRandom.current().nextInt(20_000);
                for (int spin = 0; spin < spins; spin++)
                {
                    Thread.onSpinWait();
                }
                taken.cancel(true);
                consumer.close();
                if (taken.isDone() && !taken.isCancelled() && !taken.isCompletedExceptionally())
                {
                    delivered.add(taken.get());
                }
            }
            try (SharedQueue<Long> drain = SharedQueue.open(file, Codecs.longs()))
            {
                for (Long left = drain.poll(); left != null; left = drain.poll())
                {
                    delivered.add(left);
                }
                assertThat(drain.size()).isZero();
            }
        }
        final List<Long> expected = new ArrayList<>();
        for (long i = 0; i < ROUNDS; i++)
        {
            expected.add(i);
        }
        assertThat(delivered).as("elements completed or left in the file")
            .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    @Timeout(30)
    void shouldCompletePendingTakesWithCancellationOnClose() throws Exception
    {
        final SharedQueue<Long> queue = SharedQueue.create(dir.resolve("q"), 1 << 16, Codecs.longs());
        final CompletableFuture<Long> taken = queue.takeAsync();
        queue.close();
        assertThatThrownBy(() -> taken.get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
    }
}
