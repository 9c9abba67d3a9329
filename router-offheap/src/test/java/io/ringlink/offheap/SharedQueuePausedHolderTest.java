package io.ringlink.offheap;

import io.ringlink.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Review of issue 15 (h15): a take-lock holder that is paused past the lease and then resumes. The lock is checked
 * ({@code TakeLock.isHeld()}) before the head moves, but nothing stops the head move itself once that check passed:
 * a holder paused between the check and the end of its free (a stop-the-world pause, SIGSTOP / Ctrl-Z, a debugger, a
 * frozen container) resumes and frees a record that the taker who took the lock over has taken too, and moves the
 * head (and the taken count) back to where it was when it paused.
 */
class SharedQueuePausedHolderTest
{
    static final int RECORD_BYTES = 32 * 1024;

    @TempDir
    Path dir;

    /**
     * Takes 32 KiB records (a sequence number in the first 8 bytes) until the "stop" file exists and the queue is
     * empty; appends each sequence to its file.
     */
    public static final class Taker
    {
        public static void main(final String[] args) throws Exception
        {
            final Path stop = Path.of(args[2]);
            try (SharedQueue<byte[]> queue = SharedQueue.builder(Path.of(args[0])).open();
                FileChannel out = FileChannel.open(Path.of(args[1]), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND))
            {
                final ByteBuffer value = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                System.out.println("started");
                System.out.flush();
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
                while (System.nanoTime() - deadline < 0)
                {
                    final byte[] element = queue.poll(5, TimeUnit.MILLISECONDS);
                    if (element == null)
                    {
                        if (Files.exists(stop) && queue.isEmpty())
                        {
                            return;
                        }
                        continue;
                    }
                    value.clear();
                    value.putLong(0, ByteBuffer.wrap(element).order(ByteOrder.LITTLE_ENDIAN).getLong(0));
                    out.write(value);
                }
            }
        }
    }

    /**
     * Deterministic form, in one JVM: a lease far shorter than a take (the builder accepts any positive lease), so
     * that takers take the lock over from each other while a take is between its check and its head move. Every
     * element must still go to exactly one taker.
     */
    @Test
    @Timeout(60)
    void shouldHandEveryElementToExactlyOneTakerEvenWhenTheLeaseExpiresDuringATake() throws Exception
    {
        final Path file = dir.resolve("short-lease");
        final int total = 100_000;
        final int takers = 3;
        final List<SharedQueue<Long>> queues = new ArrayList<>();
        final List<List<Long>> taken = new ArrayList<>();
        final AtomicLong takes = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        try (SharedQueue<Long> creator = SharedQueue.builder(file).codec(Codecs.longs()).capacity(1 << 16)
            .unblockTimeout(Duration.ofMillis(200)).create())
        {
            final List<Thread> threads = new ArrayList<>();
            threads.add(new Thread(() -> record(failure, () ->
            {
                for (long sequence = 0; sequence < total && failure.get() == null; sequence++)
                {
                    while (!creator.offer(sequence, 10, TimeUnit.MILLISECONDS) && failure.get() == null)
                    {
                        Thread.onSpinWait();
                    }
                }
            }), "producer"));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (int t = 0; t < takers; t++)
            {
                final SharedQueue<Long> queue = SharedQueue.builder(file).codec(Codecs.longs())
                    .takeLease(Duration.ofNanos(1_000)).open();
                queues.add(queue);
                final List<Long> mine = new ArrayList<>();
                taken.add(mine);
                threads.add(new Thread(() -> record(failure, () ->
                {
                    while (takes.get() < total && System.nanoTime() - deadline < 0 && failure.get() == null)
                    {
                        final Long element = queue.poll(5, TimeUnit.MILLISECONDS);
                        if (element != null)
                        {
                            mine.add(element);
                            takes.incrementAndGet();
                        }
                    }
                }), "taker-" + t));
            }
            threads.forEach(Thread::start);
            for (final Thread thread : threads)
            {
                thread.join(TimeUnit.SECONDS.toMillis(40));
                assertThat(thread.isAlive()).as("thread still running").isFalse();
            }
            final Outcome outcome = Outcome.of(taken, total);
            System.out.printf("short lease: %d put, %d takes, %d distinct, %d taken twice, %d lost; lock taken over " +
                "%d times; size() %d, taken count %d, unblocked %d, failure %s%n", total, takes.get(),
                outcome.distinct, outcome.duplicates, outcome.lost, creator.ring().takeLock().stolenCount(),
                creator.size(), creator.ring().consumedCount(), creator.ring().unblockedCount(), failure.get());
            assertThat(failure.get()).isNull();
            assertThat(outcome.duplicates).as("elements taken twice").isZero();
            assertThat(outcome.lost).as("elements lost").isZero();
            assertThat(creator.size()).isZero();
        }
        finally
        {
            for (final SharedQueue<Long> queue : queues)
            {
                queue.close();
            }
        }
    }

    /**
     * Realistic form: a consumer JVM is stopped (SIGSTOP, as Ctrl-Z or a debugger would) while it holds the take
     * lock, for longer than the other taker's lease (200 ms), then continued (SIGCONT). Nothing is killed, so nothing
     * may be lost and nothing taken twice.
     */
    @Test
    @Timeout(90)
    void shouldHandEveryElementToExactlyOneTakerWhenAHolderStoppedPastTheLeaseResumes() throws Exception
    {
        final Path file = dir.resolve("stopped-holder");
        final Path stop = dir.resolve("stop");
        final Path childOut = dir.resolve("taken-child");
        final Duration lease = Duration.ofMillis(200);
        final AtomicBoolean producing = new AtomicBoolean(true);
        final AtomicBoolean taking = new AtomicBoolean(true);
        final AtomicLong put = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Long> mine = new ArrayList<>();
        int stops = 0;
        int stopsHoldingLock = 0;
        try (SharedQueue<byte[]> creator = SharedQueue.builder(file).capacity(1 << 21)
            .unblockTimeout(Duration.ofMillis(500)).create();
            SharedQueue<byte[]> stealer = SharedQueue.builder(file).takeLease(lease).open();
            ChildJvm child = ChildJvm.start(dir, Taker.class, file.toString(), childOut.toString(), stop.toString()))
        {
            final Thread producer = new Thread(() -> record(failure, () ->
            {
                final byte[] element = new byte[RECORD_BYTES];
                final ByteBuffer view = ByteBuffer.wrap(element).order(ByteOrder.LITTLE_ENDIAN);
                for (long sequence = 0; producing.get(); sequence++)
                {
                    view.putLong(0, sequence);
                    while (!creator.offer(element, 10, TimeUnit.MILLISECONDS))
                    {
                        if (!producing.get())
                        {
                            return;
                        }
                    }
                    put.incrementAndGet();
                }
            }), "producer");
            final Thread taker = new Thread(() -> record(failure, () ->
            {
                while (true)
                {
                    final byte[] element = stealer.poll(5, TimeUnit.MILLISECONDS);
                    if (element == null)
                    {
                        if (!taking.get())
                        {
                            return;
                        }
                        continue;
                    }
                    synchronized (mine)
                    {
                        mine.add(ByteBuffer.wrap(element).order(ByteOrder.LITTLE_ENDIAN).getLong(0));
                    }
                }
            }), "stealer");
            producer.start();
            taker.start();
            try
            {
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(childOut) && Files.size(childOut) > 0);
                final long pid = child.process().pid();
                final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
                while (stopsHoldingLock < 12 && System.nanoTime() - until < 0 && failure.get() == null &&
                    child.process().isAlive())
                {
                    signal("STOP", pid);
                    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1))
                        .until(() -> isStopped(pid));
                    stops++;
                    if (creator.ring().takeLock().holderPid() == pid)
                    {
                        stopsHoldingLock++;
                        // the fault itself: the holder stays stopped for twice the others' lease
                        LockSupport.parkNanos(lease.multipliedBy(2).toNanos());
                    }
                    signal("CONT", pid);
                    // let it run (and take) for a while before the next stop
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3 + stops % 7));
                }
            }
            finally
            {
                producing.set(false);
                producer.join(TimeUnit.SECONDS.toMillis(20));
                signal("CONT", child.process().pid());
            }
            Files.createFile(stop);
            final boolean drained = awaitQuietly(() -> !child.process().isAlive(), Duration.ofSeconds(20));
            taking.set(false);
            taker.join(TimeUnit.SECONDS.toMillis(20));
            assertThat(taker.isAlive()).isFalse();
            final List<List<Long>> taken = new ArrayList<>();
            taken.add(mine);
            final List<Long> theirs = new ArrayList<>();
            if (Files.exists(childOut))
            {
                for (final long value : SharedQueueManyConsumersTest.readLongs(childOut))
                {
                    theirs.add(value);
                }
            }
            taken.add(theirs);
            final Outcome outcome = Outcome.of(taken, (int)put.get());
            System.out.printf("stopped holder: %d stops, %d while it held the lock; %d put, %d distinct, %d taken " +
                "twice, %d lost; lock taken over %d times; size() %d, taken count %d, unblocked %d; child drained " +
                "and exited: %s; failure %s%n", stops, stopsHoldingLock, put.get(), outcome.distinct,
                outcome.duplicates, outcome.lost, creator.ring().takeLock().stolenCount(), creator.size(),
                creator.ring().consumedCount(), creator.ring().unblockedCount(), drained, failure.get());
            assertThat(stopsHoldingLock).as("stops that landed inside a hold (the test exercised something)")
                .isPositive();
            assertThat(failure.get()).isNull();
            assertThat(outcome.duplicates).as("elements taken twice").isZero();
            assertThat(outcome.lost).as("elements lost (nothing was killed)").isZero();
            assertThat(creator.size()).isZero();
        }
    }

    /**
     * A consumer JVM killed with -9 while it certainly holds the take lock (stopped first, the holder checked, then
     * killed), 8 times, while the test's own taker keeps taking: the documented bound (at most the one element per
     * kill) holds, nothing is taken twice, and the counters stay exact.
     */
    @Test
    @Timeout(90)
    void shouldLoseAtMostOneElementPerConsumerKilledWhileHoldingTheTakeLock() throws Exception
    {
        final Path file = dir.resolve("killed-holder");
        final Path stop = dir.resolve("stop-killed");
        final AtomicBoolean producing = new AtomicBoolean(true);
        final AtomicBoolean taking = new AtomicBoolean(true);
        final AtomicLong put = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Long> mine = new ArrayList<>();
        final List<Path> outs = new ArrayList<>();
        int kills = 0;
        int stops = 0;
        try (SharedQueue<byte[]> creator = SharedQueue.builder(file).capacity(1 << 21)
            .unblockTimeout(Duration.ofMillis(500)).create();
            SharedQueue<byte[]> stealer = SharedQueue.builder(file).open())
        {
            final Thread producer = new Thread(() -> record(failure, () ->
            {
                final byte[] element = new byte[RECORD_BYTES];
                final ByteBuffer view = ByteBuffer.wrap(element).order(ByteOrder.LITTLE_ENDIAN);
                for (long sequence = 0; producing.get(); sequence++)
                {
                    view.putLong(0, sequence);
                    while (!creator.offer(element, 10, TimeUnit.MILLISECONDS))
                    {
                        if (!producing.get())
                        {
                            return;
                        }
                    }
                    put.incrementAndGet();
                }
            }), "producer");
            final Thread taker = new Thread(() -> record(failure, () ->
            {
                while (true)
                {
                    final byte[] element = stealer.poll(5, TimeUnit.MILLISECONDS);
                    if (element == null)
                    {
                        if (!taking.get())
                        {
                            return;
                        }
                        continue;
                    }
                    synchronized (mine)
                    {
                        mine.add(ByteBuffer.wrap(element).order(ByteOrder.LITTLE_ENDIAN).getLong(0));
                    }
                }
            }), "survivor");
            producer.start();
            taker.start();
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            try
            {
                while (kills < 8 && System.nanoTime() - until < 0 && failure.get() == null)
                {
                    final Path out = dir.resolve("taken-victim-" + outs.size());
                    outs.add(out);
                    try (ChildJvm victim = ChildJvm.start(dir, Taker.class, file.toString(), out.toString(),
                        stop.toString()))
                    {
                        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(out) && Files.size(out) > 0);
                        final long pid = victim.process().pid();
                        while (System.nanoTime() - until < 0)
                        {
                            signal("STOP", pid);
                            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1))
                                .until(() -> isStopped(pid));
                            stops++;
                            if (creator.ring().takeLock().holderPid() == pid)
                            {
                                victim.kill();
                                kills++;
                                break;
                            }
                            signal("CONT", pid);
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1 + stops % 5));
                        }
                    }
                }
            }
            finally
            {
                producing.set(false);
                producer.join(TimeUnit.SECONDS.toMillis(20));
            }
            final boolean drained = awaitQuietly(creator::isEmpty, Duration.ofSeconds(10));
            taking.set(false);
            taker.join(TimeUnit.SECONDS.toMillis(20));
            assertThat(taker.isAlive()).isFalse();
            final List<List<Long>> taken = new ArrayList<>();
            taken.add(mine);
            for (final Path out : outs)
            {
                final List<Long> theirs = new ArrayList<>();
                if (Files.exists(out))
                {
                    for (final long value : SharedQueueManyConsumersTest.readLongs(out))
                    {
                        theirs.add(value);
                    }
                }
                taken.add(theirs);
            }
            final Outcome outcome = Outcome.of(taken, (int)put.get());
            System.out.printf("killed holder: %d stops, %d kills while holding the lock; %d put, %d distinct, %d " +
                "taken twice, %d lost; lock taken over %d times; size() %d, taken count %d, unblocked %d; drained " +
                "%s; failure %s%n", stops, kills, put.get(), outcome.distinct, outcome.duplicates, outcome.lost,
                creator.ring().takeLock().stolenCount(), creator.size(), creator.ring().consumedCount(),
                creator.ring().unblockedCount(), drained, failure.get());
            assertThat(kills).as("kills that landed inside a hold").isPositive();
            assertThat(failure.get()).isNull();
            assertThat(outcome.duplicates).as("elements taken twice").isZero();
            assertThat(outcome.lost).as("elements lost (at most one per kill)").isLessThanOrEqualTo(kills);
            assertThat(creator.size()).isZero();
            assertThat(creator.ring().consumedCount()).isEqualTo(put.get());
        }
    }

    static void signal(final String signal, final long pid) throws Exception
    {
        final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    static boolean isStopped(final long pid) throws Exception
    {
        return state(pid) == 'T';
    }

    static char state(final long pid) throws Exception
    {
        final String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // the state is the field after the parenthesised command name
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    private static boolean awaitQuietly(final java.util.concurrent.Callable<Boolean> condition,
        final Duration timeout)
    {
        try
        {
            await().atMost(timeout).until(condition);
            return true;
        }
        catch (final org.awaitility.core.ConditionTimeoutException ex)
        {
            return false;
        }
    }

    private interface Body
    {
        void run() throws Exception;
    }

    private static void record(final AtomicReference<Throwable> failure, final Body body)
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

    private static final class Outcome
    {
        long distinct;
        long duplicates;
        long lost;

        static Outcome of(final List<List<Long>> taken, final int total)
        {
            final Outcome outcome = new Outcome();
            final BitSet seen = new BitSet(Math.max(1, total));
            for (final List<Long> list : taken)
            {
                for (final long value : list)
                {
                    if (value < 0 || value >= total)
                    {
                        outcome.duplicates++;
                        continue;
                    }
                    outcome.duplicates += seen.get((int)value) ? 1 : 0;
                    seen.set((int)value);
                }
            }
            outcome.distinct = seen.cardinality();
            outcome.lost = total - outcome.distinct;
            return outcome;
        }
    }
}
