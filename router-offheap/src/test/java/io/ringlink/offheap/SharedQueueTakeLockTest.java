package io.ringlink.offheap;

import io.ringlink.offheap.internal.IpcRingDescriptor;
import io.ringlink.offheap.internal.ProcessIdentity;
import io.ringlink.offheap.internal.TakeLock;
import io.ringlink.test.ChildJvm;
import org.agrona.BitUtil;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The take lock of a {@link SharedQueue} with several consumers: every element to exactly one taker across queue
 * objects and threads, and the states a consumer killed inside a take leaves (written into the file as it would have
 * left them), taken over within the documented times.
 */
class SharedQueueTakeLockTest
{
    static final int PER_PRODUCER = Integer.getInteger("ringlink.queue.threads.messages", 50_000);

    @TempDir
    Path dir;

    /** Sleeps until killed: a process whose pid is then dead. */
    public static final class Sleeper
    {
        public static void main(final String[] args) throws Exception
        {
            System.out.println("started");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }

    @Test
    @Timeout(120)
    void shouldHandEveryElementToExactlyOneTakerAcrossQueueObjectsAndThreadsInEachProducersOrder() throws Exception
    {
        final Path file = dir.resolve("queue");
        final int producers = 2;
        final int consumers = 4;
        final List<SharedQueue<Long>> queues = new ArrayList<>();
        final List<long[]> taken = new ArrayList<>();
        final int[] counts = new int[consumers];
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        try (SharedQueue<Long> creator = SharedQueue.builder(file).codec(Codecs.longs()).capacity(1 << 16).create())
        {
            final List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++)
            {
                final long id = p;
                final SharedQueue<Long> queue = SharedQueue.open(file, Codecs.longs());
                queues.add(queue);
                threads.add(new Thread(() -> run(failure, () ->
                {
                    for (long sequence = 0; sequence < PER_PRODUCER; sequence++)
                    {
                        queue.put(id << 32 | sequence);
                    }
                })));
            }
            for (int c = 0; c < consumers; c++)
            {
                final int index = c;
                // two objects, each taken from by two threads: serialised by the file's lock and the object's
                final SharedQueue<Long> queue = c % 2 == 0 ? SharedQueue.open(file, Codecs.longs()) :
                    queues.get(queues.size() - 1);
                if (c % 2 == 0)
                {
                    queues.add(queue);
                }
                final long[] mine = new long[producers * PER_PRODUCER];
                taken.add(mine);
                threads.add(new Thread(() -> run(failure, () ->
                {
                    while (true)
                    {
                        final Long element = queue.poll(200, TimeUnit.MILLISECONDS);
                        if (element == null)
                        {
                            if (creator.ring().producedCount() == (long)producers * PER_PRODUCER &&
                                creator.unfinishedCount() == 0 || failure.get() != null)
                            {
                                return;
                            }
                            continue;
                        }
                        mine[counts[index]++] = element;
                        queue.taskDone();
                    }
                })));
            }
            threads.forEach(Thread::start);
            for (final Thread thread : threads)
            {
                thread.join(TimeUnit.SECONDS.toMillis(100));
                assertThat(thread.isAlive()).as("thread still running").isFalse();
            }
            assertThat(failure.get()).isNull();
            assertThat(creator.size()).isZero();
            assertThat(creator.isEmpty()).isTrue();
            assertThat(creator.unfinishedCount()).isZero();
        }
        finally
        {
            for (final SharedQueue<Long> queue : queues)
            {
                queue.close();
            }
        }
        verifyExactlyOnceInOrder(producers, PER_PRODUCER, taken, counts);
    }

    static void verifyExactlyOnceInOrder(final int producers, final int perProducer, final List<long[]> taken,
        final int[] counts)
    {
        final BitSet[] seen = new BitSet[producers];
        for (int p = 0; p < producers; p++)
        {
            seen[p] = new BitSet(perProducer);
        }
        for (int c = 0; c < taken.size(); c++)
        {
            final long[] last = new long[producers];
            java.util.Arrays.fill(last, -1);
            for (int i = 0; i < counts[c]; i++)
            {
                final long value = taken.get(c)[i];
                final int producer = (int)(value >>> 32);
                final int sequence = (int)value;
                assertThat(producer).as("consumer %d: a producer id", c).isBetween(0, producers - 1);
                assertThat(seen[producer].get(sequence)).as("consumer %d: %d/%d taken twice", c, producer, sequence)
                    .isFalse();
                seen[producer].set(sequence);
                assertThat(sequence).as("consumer %d: producer %d's order", c, producer)
                    .isGreaterThan((int)last[producer]);
                last[producer] = sequence;
            }
        }
        for (int p = 0; p < producers; p++)
        {
            assertThat(seen[p].cardinality()).as("producer %d's elements taken", p).isEqualTo(perProducer);
        }
    }

    private interface Body
    {
        void run() throws Exception;
    }

    private static void run(final AtomicReference<Throwable> failure, final Body body)
    {
        try
        {
            body.run();
        }
        catch (final Throwable ex)
        {
            failure.compareAndSet(null, ex);
        }
    }

    @Test
    @Timeout(60)
    void shouldTakeTheLockOverAtOnceFromAHolderWhoseProcessIsGone() throws Exception
    {
        final Path file = dir.resolve("dead-holder");
        final long deadToken;
        try (ChildJvm child = ChildJvm.start(dir, Sleeper.class))
        {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                child.stdout().contains("started"));
            // the token its hold would carry (pid and start time), made while it runs
            deadToken = TakeLock.tokenOf(child.process().pid(), 77);
            child.kill();
        }
        try (SharedQueue<String> queue = SharedQueue.builder(file).codec(Codecs.utf8()).capacity(1 << 12)
            .takeLease(Duration.ofSeconds(30)).create())
        {
            queue.put("A");
            holdLock(file, deadToken);
            assertTakenAtOnce(queue, "A");
            assertThat(queue.ring().takeLock().stolenCount()).isEqualTo(1);
            assertThat(queue.ring().takeLock().holderPid()).as("given back").isEqualTo(-1);
            assertThat(queue.size()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void shouldTakeTheLockOverAtOnceFromAHolderThatIsAZombieNotYetReaped() throws Exception
    {
        final Path file = dir.resolve("zombie-holder");
        // a shell starts a child, then becomes a sleep that never reaps it: killed, the child stays a zombie
        final Process parent = new ProcessBuilder("sh", "-c", "sleep 300 & echo $!; exec sleep 60").start();
        try (SharedQueue<String> queue = SharedQueue.builder(file).codec(Codecs.utf8()).capacity(1 << 12)
            .takeLease(Duration.ofSeconds(30)).create())
        {
            final long pid = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(
                parent.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII)).readLine().trim());
            final long token = TakeLock.tokenOf(pid, 3);
            assertThat(new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor()).isZero();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> SharedQueuePausedHolderTest.state(pid) == 'Z');
            queue.put("A");
            holdLock(file, token);
            assertTakenAtOnce(queue, "A");
            assertThat(SharedQueuePausedHolderTest.state(pid)).as("still a zombie").isEqualTo('Z');
            assertThat(queue.ring().takeLock().stolenCount()).isEqualTo(1);
        }
        finally
        {
            parent.destroyForcibly();
            assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    @Timeout(60)
    void shouldTakeTheLockOverAtOnceFromAHolderWhosePidNowNamesAProcessStartedAtAnotherTime() throws Exception
    {
        final Path file = dir.resolve("reused-pid");
        try (SharedQueue<String> queue = SharedQueue.builder(file).codec(Codecs.utf8()).capacity(1 << 12)
            .takeLease(Duration.ofSeconds(30)).create())
        {
            queue.put("A");
            final long live = TakeLock.tokenOf(ProcessHandle.current().pid(), 5);
            // this process's pid with another start time: a dead holder whose pid this process reused
            final long startMask = (1L << ProcessIdentity.START_BITS) - 1;
            final long otherStart = ((live >>> IpcRingDescriptor.OWNER_PID_BITS) + 1) & startMask;
            holdLock(file, live & ~(startMask << IpcRingDescriptor.OWNER_PID_BITS) |
                otherStart << IpcRingDescriptor.OWNER_PID_BITS);
            assertTakenAtOnce(queue, "A");
            assertThat(queue.ring().takeLock().stolenCount()).isEqualTo(1);
        }
    }

    @Test
    @Timeout(60)
    void shouldNeverTakeTheLockFromALiveHolderStuckPastTheLeaseAndTakeOnceItGivesItBack() throws Exception
    {
        final Path file = dir.resolve("stuck-holder");
        final Duration lease = Duration.ofMillis(200);
        try (SharedQueue<String> queue = SharedQueue.builder(file).codec(Codecs.utf8()).capacity(1 << 12)
            .takeLease(lease).create())
        {
            queue.put("A");
            queue.put("B");
            // a hold by a live process (this one: pid and start time), stuck: stopped, in a debugger, paused
            final long stuck = TakeLock.tokenOf(ProcessHandle.current().pid(), 12345);
            holdLock(file, stuck);
            final long start = System.nanoTime();
            assertThat(queue.poll(1, TimeUnit.SECONDS)).as("waited for the live holder past the lease").isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(queue.ring().takeLock().stolenCount()).as("never taken from a live process").isZero();
            assertThat(queue.ring().takeLock().holderPid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(queue.size()).isEqualTo(2);
            // the holder resumes and gives the lock back: takes go on at once
            final MappedByteBuffer mapped = IpcRingTest.map(file);
            try
            {
                assertThat(new UnsafeBuffer(mapped, 0, IpcRingDescriptor.HEADER_LENGTH)
                    .compareAndSetLong(IpcRingDescriptor.TAKE_LOCK_OFFSET, stuck, 0)).isTrue();
            }
            finally
            {
                IoUtil.unmap(mapped);
            }
            assertThat(queue.poll(5, TimeUnit.SECONDS)).isEqualTo("A");
            assertThat(queue.poll()).isEqualTo("B");
            assertThat(queue.ring().takeLock().stolenCount()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void shouldFinishTheFreeOfAConsumerKilledWhileZeroingAndHandTheNextElementAtOnce() throws Exception
    {
        final Path file = dir.resolve("half-freed");
        try (SharedQueue<String> queue = SharedQueue.builder(file).codec(Codecs.utf8()).capacity(1 << 12)
            .unblockTimeout(Duration.ofSeconds(30)).create())
        {
            queue.put("first element");
            queue.put("second");
            final int capacity = 1 << 12;
            final MappedByteBuffer mapped = IpcRingTest.map(file);
            try
            {
                final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, IpcRingDescriptor.HEADER_LENGTH);
                final UnsafeBuffer records = new UnsafeBuffer(mapped, IpcRingDescriptor.HEADER_LENGTH,
                    capacity + RingBufferDescriptor.TRAILER_LENGTH);
                final long head = records.getLong(capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET);
                final int length = records.getInt(RecordDescriptor.lengthOffset((int)head));
                assertThat(length).isEqualTo(RecordDescriptor.HEADER_LENGTH + "first element".length());
                // a consumer that read "first element", recorded its free's intent and died while zeroing it
                header.putLongVolatile(IpcRingDescriptor.CONSUMER_INTENT_POSITION_OFFSET,
                    head + BitUtil.align(length, RecordDescriptor.ALIGNMENT));
                header.putLongVolatile(IpcRingDescriptor.CONSUMER_INTENT_COUNT_OFFSET,
                    header.getLongVolatile(IpcRingDescriptor.CONSUMER_COUNT_OFFSET) + 1);
                records.setMemory((int)head, RecordDescriptor.HEADER_LENGTH + 4, (byte)0);
                holdLock(header, deadToken(9));
            }
            finally
            {
                IoUtil.unmap(mapped);
            }
            assertThat(queue.size()).as("the half-freed element counts until the free is finished").isEqualTo(2);
            final long start = System.nanoTime();
            assertThat(queue.poll(10, TimeUnit.SECONDS)).isEqualTo("second");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no wait for the 30 s unblock timeout")
                .isLessThan(Duration.ofSeconds(5));
            assertThat(queue.size()).isZero();
            assertThat(queue.ring().consumedCount()).isEqualTo(2);
            assertThat(queue.ring().unblockedCount()).isZero();
            assertThat(queue.poll()).isNull();
            queue.taskDone();
            queue.taskDone();
            assertThatThrownBy(queue::taskDone).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 taken, 2 done");
        }
    }

    @Test
    @Timeout(60)
    void shouldRefuseTakesWhileARouterReadsTheQueueAndAllowThemOnceItCloses() throws Exception
    {
        final Path file = dir.resolve("routed");
        try (SharedQueue<String> queue = SharedQueue.create(file, 1 << 12, Codecs.utf8());
            SharedQueue<String> taker = SharedQueue.open(file, Codecs.utf8()))
        {
            queue.put("A");
            queue.put("B");
            assertThat(taker.take()).isEqualTo("A");
            final SharedQueue<String> routed = SharedQueue.open(file, Codecs.utf8());
            final List<String> read = new ArrayList<>();
            assertThat(routed.readAvailable(read::add, 10)).isEqualTo(1);
            assertThatThrownBy(taker::poll).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is read by an exclusive consumer").hasMessageContaining(
                    "process " + ProcessHandle.current().pid());
            assertThatThrownBy(routed::poll).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reads as a router's source");
            routed.close();
            assertThat(read).containsExactly("B");
            assertThat(taker.poll()).as("not passed by a sink: read again").isEqualTo("B");
            assertThat(queue.size()).isZero();
        }
    }

    /** The next element is taken well within the 30 s lease the callers set: the hold was taken over at once. */
    private static void assertTakenAtOnce(final SharedQueue<String> queue, final String expected) throws Exception
    {
        final long start = System.nanoTime();
        assertThat(queue.poll(10, TimeUnit.SECONDS)).isEqualTo(expected);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("well within the 30 s lease")
            .isLessThan(Duration.ofSeconds(2));
    }

    private static void holdLock(final Path file, final long token) throws Exception
    {
        final MappedByteBuffer mapped = IpcRingTest.map(file);
        try
        {
            holdLock(new UnsafeBuffer(mapped, 0, IpcRingDescriptor.HEADER_LENGTH), token);
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }

    private static void holdLock(final UnsafeBuffer header, final long token)
    {
        header.putLongVolatile(IpcRingDescriptor.TAKE_LOCK_OFFSET, token);
    }

    /**
     * The token of a hold by a process that is surely gone: a short child, its token made while it ran (pid and
     * start time), then killed and reaped. Should its pid be reused since, the start time tells the new process apart.
     */
    private static long deadToken(final long hold) throws Exception
    {
        final Process child = new ProcessBuilder("sleep", "30").start();
        try
        {
            return TakeLock.tokenOf(child.pid(), hold);
        }
        finally
        {
            child.destroyForcibly();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("the child is reaped").isTrue();
        }
    }
}
