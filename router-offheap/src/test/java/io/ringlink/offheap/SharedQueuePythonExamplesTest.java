package io.ringlink.offheap;

import io.ringlink.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Python's {@code multiprocessing} examples, rewritten with {@link SharedQueue} and child JVMs: a writer process and
 * a reader process; a pool of workers sharing a job queue ({@code JoinableQueue} with {@code task_done}/{@code join});
 * {@code Queue(3)} refusing a fourth {@code put_nowait}.
 */
class SharedQueuePythonExamplesTest
{
    static final long STOP = -1;

    @TempDir
    Path dir;

    /** {@code for x in "ABC": q.put(x)} in its own process. */
    public static final class Writer
    {
        public static void main(final String[] args) throws Exception
        {
            try (SharedQueue<String> queue = SharedQueue.open(Path.of(args[0]), Codecs.utf8()))
            {
                for (final String element : new String[]{"A", "B", "C"})
                {
                    queue.put(element);
                }
            }
        }
    }

    /** {@code print(q.get(), q.get(), q.get())} in its own process. */
    public static final class Reader
    {
        public static void main(final String[] args) throws Exception
        {
            try (SharedQueue<String> queue = SharedQueue.open(Path.of(args[0]), Codecs.utf8()))
            {
                System.out.println("got " + queue.take() + queue.take() + queue.take());
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldCarryABCFromAWriterProcessToAReaderProcess() throws Exception
    {
        final Path file = dir.resolve("abc");
        SharedQueue.create(file, 1 << 12, Codecs.utf8()).close();
        try (ChildJvm reader = ChildJvm.start(dir, Reader.class, file.toString());
            ChildJvm writer = ChildJvm.start(dir, Writer.class, file.toString()))
        {
            assertThat(writer.awaitExit(Duration.ofSeconds(30))).as(writer.output()).isZero();
            assertThat(reader.awaitExit(Duration.ofSeconds(30))).as(reader.output()).isZero();
            assertThat(reader.stdout()).contains("got ABC");
        }
        try (SharedQueue<String> queue = SharedQueue.open(file, Codecs.utf8()))
        {
            assertThat(queue.isEmpty()).isTrue();
        }
    }

    /**
     * A pool worker: takes jobs n until {@link #STOP}, puts n * n into the results queue, marks each job done.
     */
    public static final class Worker
    {
        public static void main(final String[] args) throws Exception
        {
            int done = 0;
            try (SharedQueue<Long> jobs = SharedQueue.open(Path.of(args[0]), Codecs.longs());
                SharedQueue<Long> results = SharedQueue.open(Path.of(args[1]), Codecs.longs()))
            {
                for (long job = jobs.take(); job != STOP; job = jobs.take())
                {
                    results.put(job * job);
                    jobs.taskDone();
                    done++;
                }
                jobs.taskDone();
            }
            System.out.println("worker did " + done);
        }
    }

    @Test
    @Timeout(90)
    void shouldShareOneJobQueueAmongAPoolOfWorkerProcessesAndJoinOnceEveryJobIsDone() throws Exception
    {
        final int workers = 3;
        final int count = 3_000;
        final Path jobsFile = dir.resolve("jobs");
        final Path resultsFile = dir.resolve("results");
        final List<ChildJvm> pool = new ArrayList<>();
        try (SharedQueue<Long> jobs = SharedQueue.create(jobsFile, 1 << 16, Codecs.longs());
            SharedQueue<Long> results = SharedQueue.create(resultsFile, 1 << 16, Codecs.longs()))
        {
            for (int i = 0; i < workers; i++)
            {
                pool.add(ChildJvm.start(dir, Worker.class, jobsFile.toString(), resultsFile.toString()));
            }
            final Set<Long> squares = new HashSet<>();
            for (long n = 0; n < count; n++)
            {
                jobs.put(n);
                // results are taken while jobs are put, so the results queue never fills up
                for (Long square = results.poll(); square != null; square = results.poll())
                {
                    assertThat(squares.add(square)).as("result %d twice", square).isTrue();
                }
            }
            for (int i = 0; i < workers; i++)
            {
                jobs.put(STOP);
            }
            assertThat(jobs.join(Duration.ofSeconds(60))).as("every job and stop done").isTrue();
            assertThat(jobs.unfinishedCount()).isZero();
            int total = 0;
            for (final ChildJvm worker : pool)
            {
                assertThat(worker.awaitExit(Duration.ofSeconds(30))).as(worker.output()).isZero();
                final String out = worker.stdout();
                total += Integer.parseInt(out.substring(out.indexOf("worker did ") + 11).trim());
            }
            assertThat(total).isEqualTo(count);
            for (Long square = results.poll(); square != null; square = results.poll())
            {
                assertThat(squares.add(square)).as("result %d twice", square).isTrue();
            }
            assertThat(squares).hasSize(count);
            for (long n = 0; n < count; n++)
            {
                assertThat(squares).contains(n * n);
            }
        }
        finally
        {
            pool.forEach(ChildJvm::close);
        }
    }

    /** {@code q.put_nowait(x)} for A, B, C, D on a queue made with {@code Queue(3)}. */
    public static final class PutNowait
    {
        public static void main(final String[] args) throws Exception
        {
            try (SharedQueue<String> queue = SharedQueue.open(Path.of(args[0]), Codecs.utf8()))
            {
                for (final String element : new String[]{"A", "B", "C", "D"})
                {
                    try
                    {
                        queue.add(element);
                        System.out.println("put " + element);
                    }
                    catch (final IllegalStateException ex)
                    {
                        System.out.println("full: " + ex.getMessage());
                    }
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldRefuseAFourthPutNowaitOnQueueOfThreeInAnotherProcessShowingTheCount() throws Exception
    {
        final Path file = dir.resolve("three");
        try (SharedQueue<String> queue = SharedQueue.builder(file).codec(Codecs.utf8()).capacity(1 << 12).maxSize(3)
            .create())
        {
            try (ChildJvm child = ChildJvm.start(dir, PutNowait.class, file.toString()))
            {
                assertThat(child.awaitExit(Duration.ofSeconds(30))).as(child.output()).isZero();
                assertThat(child.stdout()).contains("put A", "put B", "put C")
                    .contains("full: queue " + file + " is full (3 of maxSize 3 messages")
                    .doesNotContain("put D");
            }
            assertThat(queue.size()).isEqualTo(3);
            assertThat(queue.isFull()).isTrue();
            assertThat(queue.offer("D")).isFalse();
            assertThat(queue.poll(1, TimeUnit.SECONDS)).isEqualTo("A");
            assertThat(queue.offer("D")).isTrue();
            assertThat(List.of(queue.take(), queue.take(), queue.take())).containsExactly("B", "C", "D");
        }
    }

    /**
     * Takes {@code args[1]} jobs, says so, waits for the "go" file, marks them done; or, with "die", takes one and
     * waits to be killed before marking it done.
     */
    public static final class JoinWorker
    {
        public static void main(final String[] args) throws Exception
        {
            final int jobs = Integer.parseInt(args[1]);
            try (SharedQueue<Long> queue = SharedQueue.open(Path.of(args[0]), Codecs.longs()))
            {
                for (int i = 0; i < jobs; i++)
                {
                    queue.take();
                }
                System.out.println("taken " + jobs);
                System.out.flush();
                SharedQueueManyConsumersTest.awaitFile(Path.of(args[2]));
                for (int i = 0; i < jobs; i++)
                {
                    queue.taskDone();
                }
            }
            System.out.println("done " + jobs);
        }
    }

    @Test
    @Timeout(90)
    void shouldJoinOnlyOnceWorkersInTwoJvmsMarkedEveryJobDoneAndKeepADeadWorkersJobUnfinished() throws Exception
    {
        final Path file = dir.resolve("joinable");
        final Path go = dir.resolve("go");
        try (SharedQueue<Long> queue = SharedQueue.create(file, 1 << 16, Codecs.longs()))
        {
            for (long i = 0; i < 100; i++)
            {
                queue.put(i);
            }
            try (ChildJvm first = ChildJvm.start(dir, JoinWorker.class, file.toString(), "60", go.toString());
                ChildJvm second = ChildJvm.start(dir, JoinWorker.class, file.toString(), "40", go.toString()))
            {
                await().atMost(Duration.ofSeconds(30)).until(() -> first.stdout().contains("taken") &&
                    second.stdout().contains("taken") || !first.process().isAlive() || !second.process().isAlive());
                assertThat(queue.size()).as(first.output() + second.output()).isZero();
                assertThat(queue.unfinishedCount()).isEqualTo(100);
                final long start = System.nanoTime();
                assertThat(queue.join(Duration.ofMillis(300))).as("taken, not done").isFalse();
                assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
                Files.createFile(go);
                queue.join();
                assertThat(queue.unfinishedCount()).isZero();
                assertThat(first.awaitExit(Duration.ofSeconds(30))).as(first.output()).isZero();
                assertThat(second.awaitExit(Duration.ofSeconds(30))).as(second.output()).isZero();
            }
            assertThatThrownBy(queue::taskDone).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("100 taken, 100 done");
            // a worker killed after its take and before its taskDone: the job stays unfinished, as in Python
            queue.put(100L);
            try (ChildJvm doomed = ChildJvm.start(dir, JoinWorker.class, file.toString(), "1",
                dir.resolve("never").toString()))
            {
                await().atMost(Duration.ofSeconds(30)).until(() -> doomed.stdout().contains("taken") ||
                    !doomed.process().isAlive());
                doomed.kill();
            }
            assertThat(queue.size()).isZero();
            assertThat(queue.unfinishedCount()).isEqualTo(1);
            assertThat(queue.join(Duration.ofMillis(200))).isFalse();
            queue.taskDone();
            assertThat(queue.join(Duration.ofMillis(200))).as("once someone marks it done").isTrue();
        }
    }
}
