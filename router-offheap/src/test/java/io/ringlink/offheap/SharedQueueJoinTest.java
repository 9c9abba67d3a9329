package io.ringlink.offheap;

import io.ringlink.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link SharedQueue} as Python's {@code JoinableQueue}: {@code taskDone()} in a worker JVM, {@code join()} in the
 * producer JVM.
 */
class SharedQueueJoinTest
{
    static final int JOBS = 100;

    @TempDir
    Path dir;

    /**
     * Takes every job, says so, waits for a "go" file, marks each done, then calls taskDone once too often.
     */
    public static final class Worker
    {
        public static void main(final String[] args) throws Exception
        {
            final Path go = Path.of(args[1]);
            try (SharedQueue<Long> queue = SharedQueue.open(Path.of(args[0]), Codecs.longs()))
            {
                for (int i = 0; i < JOBS; i++)
                {
                    queue.take();
                }
                System.out.println("taken " + JOBS);
                System.out.flush();
                while (!Files.exists(go))
                {
                    LockSupport.parkNanos(1_000_000);
                }
                for (int i = 0; i < JOBS; i++)
                {
                    queue.taskDone();
                }
                try
                {
                    queue.taskDone();
                }
                catch (final IllegalStateException ex)
                {
                    System.out.println("raised: " + ex.getMessage());
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldJoinInTheProducerJvmOnlyOnceTheWorkerJvmMarkedEveryJobDone() throws Exception
    {
        final Path file = dir.resolve("jobs");
        final Path go = dir.resolve("go");
        try (SharedQueue<Long> queue = SharedQueue.create(file, 1 << 16, Codecs.longs()))
        {
            assertThat(queue.join(Duration.ofMillis(10))).as("nothing put: nothing to wait for").isTrue();
            for (long i = 0; i < JOBS; i++)
            {
                queue.put(i);
            }
            assertThat(queue.unfinishedCount()).isEqualTo(JOBS);
            try (ChildJvm worker = ChildJvm.start(dir, Worker.class, file.toString(), go.toString()))
            {
                await().atMost(Duration.ofSeconds(30)).until(() -> worker.stdout().contains("taken") ||
                    !worker.process().isAlive());
                assertThat(queue.size()).as(worker.output()).isZero();
                assertThat(queue.unfinishedCount()).isEqualTo(JOBS);
                assertThat(queue.join(Duration.ofMillis(200))).as("taken but not done").isFalse();
                Files.createFile(go);
                queue.join();
                assertThat(queue.unfinishedCount()).isZero();
                assertThat(worker.awaitExit(Duration.ofSeconds(30))).as(worker.output()).isZero();
                assertThat(worker.stdout()).contains("raised: taskDone() called more times than elements were taken")
                    .contains(JOBS + " taken, " + JOBS + " done");
            }
            assertThatThrownBy(queue::taskDone).isInstanceOf(IllegalStateException.class);
        }
    }
}
