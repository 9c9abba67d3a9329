package io.ringlink.offheap;

import io.ringlink.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.ringlink.offheap.SharedQueuePausedHolderTest.isStopped;
import static io.ringlink.offheap.SharedQueuePausedHolderTest.signal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * {@link SharedQueue#poll()} without a timeout is Python's {@code get_nowait()} ({@code get(block=False)}, which tries
 * the reader lock once and raises {@code Empty}): while a live process holds the take lock (here a child JVM stopped
 * with SIGSTOP while it holds it) it returns {@code null} at once instead of waiting for that process; once the holder
 * is killed, a poll takes the lock over and takes. {@code offer} takes no lock across processes, so it is not held up.
 */
class SharedQueueNoWaitTest
{
    /** At once: a poll or offer that waited for the stopped holder would wait until it runs again. */
    private static final long NO_WAIT_MS = 500;

    @TempDir
    Path dir;

    /**
     * Takes the queue's take lock as a taker would, says "held", and keeps it until killed.
     */
    public static final class LockHolder
    {
        public static void main(final String[] args) throws Exception
        {
            try (SharedQueue<String> queue = SharedQueue.open(Path.of(args[0]), Codecs.utf8()))
            {
                while (!queue.ring().takeLock().tryAcquire())
                {
                    Thread.onSpinWait();
                }
                System.out.println("held");
                System.out.flush();
                Thread.sleep(60_000);
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldReturnAtOnceFromPollWhileAStoppedLiveProcessHoldsTheTakeLock() throws Exception
    {
        final Path file = dir.resolve("queue");
        final ExecutorService caller = Executors.newSingleThreadExecutor();
        try (SharedQueue<String> queue = SharedQueue.create(file, 1 << 16, Codecs.utf8());
            ChildJvm holder = ChildJvm.start(dir, LockHolder.class, file.toString()))
        {
            queue.put("a");
            queue.put("b");
            await().atMost(Duration.ofSeconds(30)).until(() -> holder.stdout().contains("held"));
            final long pid = holder.process().pid();
            assertThat(queue.ring().takeLock().holderPid()).isEqualTo(pid);
            signal("STOP", pid);
            try
            {
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> isStopped(pid));

                // Timed inside the caller's thread, made beforehand: only the poll is measured.
                caller.submit(() -> { }).get(10, TimeUnit.SECONDS);
                final long[] pollNanos = new long[1];
                final Future<String> poll = caller.submit(() ->
                {
                    final long start = System.nanoTime();
                    final String element = queue.poll();
                    pollNanos[0] = System.nanoTime() - start;
                    return element;
                });
                final String polled;
                try
                {
                    polled = poll.get(2, TimeUnit.SECONDS);
                }
                catch (final TimeoutException ex)
                {
                    fail("poll() still waiting after 2 s for the stopped holder (pid " + pid + ")");
                    return;
                }
                final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(pollNanos[0]);
                System.out.printf("poll() with the take lock held by stopped pid %d: %s after %d ms%n", pid, polled,
                    elapsedMs);
                assertThat(polled).isNull();
                assertThat(elapsedMs).as("ms poll() took").isLessThan(NO_WAIT_MS);
                assertThat(queue.size()).isEqualTo(2);
                assertThatThrownBy(queue::remove).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("holds 2 element(s), but another consumer holds the take lock");

                final long offerStart = System.nanoTime();
                assertThat(queue.offer("c")).isTrue();
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - offerStart)).as("ms offer() took")
                    .isLessThan(NO_WAIT_MS);
                // the timed form waits, and gives up at its timeout
                assertThat(queue.poll(20, TimeUnit.MILLISECONDS)).isNull();
            }
            finally
            {
                signal("CONT", pid);
            }
            // running again, still holding: still refused at once
            assertThat(queue.poll()).isNull();
            holder.kill();
            // its process gone, a poll takes the lock over (within about a millisecond of seeing it gone)
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() ->
            {
                final String element = queue.poll();
                return element != null && element.equals("a");
            });
            assertThat(queue.poll()).isEqualTo("b");
            assertThat(queue.poll()).isEqualTo("c");
            assertThat(queue.poll()).isNull();
        }
        finally
        {
            caller.shutdownNow();
            assertThat(caller.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
