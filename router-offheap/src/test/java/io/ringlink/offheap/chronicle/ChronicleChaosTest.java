package io.ringlink.offheap.chronicle;

import io.ringlink.offheap.ChronicleSink;
import io.ringlink.offheap.ChronicleSource;
import io.ringlink.offheap.Codecs;
import io.ringlink.test.ChildJvm;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.ringlink.offheap.chronicle.ChronicleMains.message;
import static io.ringlink.offheap.chronicle.ChronicleMains.sequenceOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crash chaos for {@code chronicle:}: the writer JVM and the named reader JVM are killed with -9 at random moments,
 * over and over, with exact accounting after each kill.
 * <ul>
 *     <li>Writer: every message whose append returned (the child says so) is in the queue, the queue holds a gap-free,
 *     in-order run of whole messages, and the next writer appends after it.</li>
 *     <li>Named reader (through a router, sink flushed per batch): each run resumes no later than one past the last
 *     message any run before it wrote out (nothing skipped), repeats at most the documented bound (the router's ring
 *     plus one read batch, plus one more across a cycle roll), and a last run reaches the end.</li>
 * </ul>
 * Kills per role: {@value #KILLS_DEFAULT} by default; {@code -Dringlink.chaos.kills=50} for the long mode,
 * {@code -Dringlink.chaos.seed=N} to replay a run's random moments.
 */
@Timeout(1800)
class ChronicleChaosTest
{
    /** System property: kills per role. */
    static final String KILLS_PROP_NAME = "ringlink.chaos.kills";
    static final int KILLS_DEFAULT = 2;
    /** System property: seed of the random kill moments. */
    static final String SEED_PROP_NAME = "ringlink.chaos.seed";

    /** NamedConsumer's router ring and the router's read batch: the documented duplicate bound. */
    private static final int READER_RING_SIZE = 1024;
    private static final int READ_BATCH = 256;
    private static final int WRITE_RATE = 40_000;
    private static final int FINAL_APPENDS = 1000;
    /** The killed readers pause 20 ms per 1000 messages: a little slower than the writer, so they run behind. */
    private static final String READER_PAUSE_MILLIS = "20";
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    Path temp;

    private final int kills = Integer.getInteger(KILLS_PROP_NAME, KILLS_DEFAULT);
    private final long seed = Long.getLong(SEED_PROP_NAME, System.nanoTime());
    private final Random random = new Random(seed);

    @Test
    void shouldLoseNothingAppendedAndShowNothingPartialWhenTheWriterIsKilledAtRandomMoments() throws Exception
    {
        final Path dir = temp.resolve("q");
        ChronicleSink.builder(dir, Codecs.utf8()).build().close();
        long next = 0;
        long minAhead = Long.MAX_VALUE;
        int idleKills = 0;
        try (ChronicleSource<String> reader = ChronicleSource.builder(dir, Codecs.utf8()).build())
        {
            for (int kill = 0; kill < kills; kill++)
            {
                final long acked;
                try (ChildJvm writer = ChildJvm.start(temp, ChronicleMains.ChaosWriter.class, dir.toString(),
                    Long.toString(next)))
                {
                    // Killed at a random moment once it appends (its first thousand acknowledged), or, one kill in
                    // five, at a random moment after it opened the queue.
                    final String started = random.nextInt(5) == 0 ? "writing" : "acked ";
                    await().atMost(Duration.ofSeconds(60)).until(() -> writer.stdout().contains(started) ||
                        !writer.process().isAlive());
                    assertThat(writer.process().isAlive()).as(writer.output()).isTrue();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(random.nextInt(400)));
                    writer.kill();
                    acked = lastNumberAfter(writer.stdout(), "acked ");
                }
                final long before = next;
                next = readUntilIdle(reader, next, "after kill " + kill);
                assertThat(next - 1).as("kill %d (seed %d): every acknowledged append is in the queue", kill, seed)
                    .isGreaterThanOrEqualTo(acked);
                idleKills += next == before ? 1 : 0;
                if (acked >= 0)
                {
                    minAhead = Math.min(minAhead, next - 1 - acked);
                }
            }
            // After the last kill, perhaps mid-document, a new writer still appends, and nothing else appears.
            try (ChildJvm last = ChildJvm.start(temp, ChronicleMains.Producer.class, dir.toString(),
                Long.toString(next), Integer.toString(FINAL_APPENDS)))
            {
                assertThat(last.awaitExit(CHILD_TIMEOUT)).as(last.output()).isZero();
            }
            final long end = readUntilIdle(reader, next, "after the last writer");
            assertThat(end).as("the last writer's appends, all of them").isEqualTo(next + FINAL_APPENDS);
            next = end;
        }
        System.out.printf("chronicle writer chaos: %d kills (seed %d, %d before the first append), %d messages, " +
            "each whole and in order; the queue held at least %d beyond the last acknowledged append%n", kills, seed,
            idleKills, next, minAhead == Long.MAX_VALUE ? 0 : minAhead);
    }

    @Test
    void shouldSkipNothingAndRepeatAtMostTheBoundWhenTheNamedReaderIsKilledAtRandomMoments() throws Exception
    {
        final Path dir = temp.resolve("q");
        final PacedWriter writer = new PacedWriter(ChronicleSink.builder(dir, Codecs.utf8()).build());
        final Thread writing = new Thread(writer, "chaos-writer");
        writing.start();
        long seen = -1;
        long maxRepeated = 0;
        long repeatedTotal = 0;
        int killed = 0;
        try
        {
            for (int run = 0; run < kills; run++)
            {
                final Path out = temp.resolve("out-" + run + ".txt");
                try (ChildJvm reader = ChildJvm.start(temp, ChronicleMains.NamedConsumer.class, dir.toString(),
                    "chaos", "start", Long.toString(Long.MAX_VALUE), out.toString(), READER_PAUSE_MILLIS))
                {
                    // Killed at a random moment once it delivers: the sink has written its first line.
                    await().atMost(Duration.ofSeconds(60)).until(() ->
                        !ChronicleProcessTest.lines(out).isEmpty() || !reader.process().isAlive());
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(random.nextInt(800)));
                    assertThat(reader.process().isAlive()).as("run %d still reading: %s", run, reader.output())
                        .isTrue();
                    reader.kill();
                    killed++;
                }
                final long[] outcome = account(out, run, seen);
                seen = outcome[0];
                maxRepeated = Math.max(maxRepeated, outcome[1]);
                repeatedTotal += outcome[1];
            }
        }
        finally
        {
            writer.stop = true;
            writing.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(writing.isAlive()).isFalse();
        assertThat(writer.failure).isNull();
        final long total = writer.written;
        final Path out = temp.resolve("out-last.txt");
        try (ChildJvm reader = ChildJvm.start(temp, ChronicleMains.NamedConsumer.class, dir.toString(), "chaos",
            "start", Long.toString(total - 1), out.toString(), "0"))
        {
            assertThat(reader.awaitExit(CHILD_TIMEOUT)).as(reader.output()).isZero();
        }
        final long[] outcome = account(out, kills, seen);
        maxRepeated = Math.max(maxRepeated, outcome[1]);
        repeatedTotal += outcome[1];
        assertThat(killed).isEqualTo(kills);
        assertThat(outcome[0]).as("the last run reached the end").isEqualTo(total - 1);
        System.out.printf("chronicle named-reader chaos: %d kills (seed %d), %d messages; repeated at most %d per " +
            "restart (bound %d), %d in all%n", killed, seed, total, maxRepeated, bound(dir), repeatedTotal);
    }

    /**
     * Checks one run's output against what the runs before it wrote: whole messages, in order without a gap, starting
     * no later than one past the last seen, repeating at most the bound.
     *
     * @return the last sequence seen by any run so far, and how many this run repeated.
     */
    private long[] account(final Path out, final int run, final long seenBefore) throws Exception
    {
        final List<Long> sequences = sequences(ChronicleProcessTest.lines(out), run);
        if (sequences.isEmpty())
        {
            return new long[]{seenBefore, 0};
        }
        final long first = sequences.get(0);
        assertThat(first).as("run %d (seed %d) resumes without skipping: seen up to %d", run, seed, seenBefore)
            .isLessThanOrEqualTo(seenBefore + 1);
        final long repeated = seenBefore + 1 - first;
        System.out.printf("run %d: %d..%d, repeated %d%n", run, first, sequences.get(sequences.size() - 1), repeated);
        final int bound = bound(out.resolveSibling("q"));
        assertThat(repeated).as("run %d (seed %d) repeats at most the bound", run, seed).isLessThanOrEqualTo(bound);
        return new long[]{Math.max(seenBefore, sequences.get(sequences.size() - 1)), repeated};
    }

    /** The documented bound: the reader's ring plus one read batch, plus one more if the queue rolled. */
    private static int bound(final Path dir)
    {
        return READER_RING_SIZE + READ_BATCH + (cycles(dir) > 1 ? READ_BATCH : 0);
    }

    /** Reads whole, in-order messages from {@code next} on until the queue stays idle; returns the next expected. */
    private static long readUntilIdle(final ChronicleSource<String> reader, final long from, final String when)
    {
        final long[] next = {from};
        final List<String> wrong = new ArrayList<>();
        int idle = 0;
        while (idle < 3)
        {
            final int read = reader.read((message) ->
            {
                if (sequenceOf(message) != next[0] && wrong.isEmpty())
                {
                    wrong.add("expected " + next[0] + " but got '" + message + "'");
                }
                next[0]++;
            }, 4096);
            idle = read == 0 ? idle + 1 : 0;
        }
        assertThat(wrong).as(when).isEmpty();
        return next[0];
    }

    /** Each line a whole message's sequence, consecutive within one run. */
    private static List<Long> sequences(final List<String> lines, final int run)
    {
        final List<Long> sequences = new ArrayList<>();
        for (final String line : lines)
        {
            assertThat(line).as("run %d: a whole message", run).doesNotStartWith("bad");
            final long sequence = Long.parseLong(line.trim());
            if (!sequences.isEmpty())
            {
                assertThat(sequence).as("run %d: in order, no gap", run)
                    .isEqualTo(sequences.get(sequences.size() - 1) + 1);
            }
            sequences.add(sequence);
        }
        return sequences;
    }

    /** The number on the last complete line that starts with the prefix, or -1. */
    private static long lastNumberAfter(final String text, final String prefix)
    {
        long last = -1;
        final int end = text.lastIndexOf('\n');
        for (final String line : end < 0 ? new String[0] : text.substring(0, end).split("\n"))
        {
            if (line.startsWith(prefix))
            {
                last = Long.parseLong(line.substring(prefix.length()).trim());
            }
        }
        return last;
    }

    /** Appends numbered messages at about {@value #WRITE_RATE} a second until stopped. */
    private static final class PacedWriter implements Runnable
    {
        private final ChronicleSink<String> sink;
        private volatile boolean stop;
        private volatile long written;
        private volatile Throwable failure;

        PacedWriter(final ChronicleSink<String> sink)
        {
            this.sink = sink;
        }

        @Override
        public void run()
        {
            try (ChronicleSink<String> appending = sink)
            {
                long sequence = 0;
                while (!stop)
                {
                    appending.onMessage(message(sequence++));
                    written = sequence;
                    if (sequence % (WRITE_RATE / 1000) == 0)
                    {
                        LockSupport.parkNanos(1_000_000);
                    }
                }
            }
            catch (final RuntimeException | Error ex)
            {
                failure = ex;
            }
        }
    }

    private static int cycles(final Path dir)
    {
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).build())
        {
            return queue.lastCycle() - queue.firstCycle() + 1;
        }
    }
}
