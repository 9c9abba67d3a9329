package io.ringlink.aeron;

import io.ringlink.Router;
import io.ringlink.Sink;
import io.ringlink.WaitStrategy;
import io.ringlink.offheap.Codecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Aeron Archive across two hosts on one machine: a publisher JVM in one network namespace records its stream, a
 * reader JVM in the other replays it by name, is killed with -9 part-way, restarts, and ends with every message,
 * repeating at most what its router held undelivered.
 */
class ArchiveReplayTest
{
    private static final int COUNT = 100_000;
    private static final int RING_SIZE = 1024;
    /** The documented bound: the router's ring plus one read of the pump (256) may be seen again. */
    private static final int DUPLICATE_BOUND = RING_SIZE + 256;

    @TempDir
    Path dir;

    /**
     * Publishes longs 0..count-1 into an {@code archive=} sink, a few at a time, prints "recorded N" once the
     * Archive holds them all, and keeps the Archive up until its standard input ends (args: URI, count).
     */
    public static final class RecordingPublisher
    {
        public static void main(final String[] args) throws Exception
        {
            final long count = Long.parseLong(args[1]);
            try (AeronSink<Long> sink = AeronSink.open(args[0], Codecs.longs()))
            {
                System.out.println("open recording " + sink.recordingId());
                for (long i = 0; i < count; i++)
                {
                    sink.put(i);
                    if (i % 50 == 49)
                    {
                        LockSupport.parkNanos(1_000_000);
                    }
                }
                final long deadline = System.nanoTime() + 30_000_000_000L;
                while (sink.recordedPosition() < sink.publication().position() && System.nanoTime() < deadline)
                {
                    Thread.sleep(1);
                }
                System.out.println("recorded " + count + " at " + sink.recordedPosition());
                while (System.in.read() >= 0)
                {
                    // Keep the Archive up for the readers until the test lets go.
                }
            }
        }
    }

    /**
     * Reads longs from a replaying {@code aeron:} source through a router into a file, one per line (args: URI,
     * file, stop-after or -1, last value). With a stop-after it blocks for good after that many (to be killed);
     * otherwise it ends once it has the last value.
     */
    public static final class RecordingReader
    {
        public static void main(final String[] args) throws Exception
        {
            final long stopAfter = Long.parseLong(args[2]);
            final long last = Long.parseLong(args[3]);
            final CountDownLatch done = new CountDownLatch(1);
            try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8);
                Router<Object> router = Router.builder().name("replay").ringSize(RING_SIZE)
                    .waitStrategy(WaitStrategy.BLOCKING).build())
            {
                final long[] written = {0};
                final AeronSource<?> source = AeronSource.open(args[0]);
                router.read(source);
                router.write(new Sink<Object>()
                {
                    @Override
                    public void onMessage(final Object message) throws Exception
                    {
                        out.write(message.toString());
                        out.newLine();
                        if (++written[0] == stopAfter)
                        {
                            out.flush();
                            System.out.println("stopped after " + stopAfter);
                            System.out.flush();
                            new CountDownLatch(1).await();
                        }
                        if ((Long)message == last)
                        {
                            done.countDown();
                        }
                    }

                    @Override
                    public void onEndOfBatch() throws IOException
                    {
                        out.flush();
                    }
                });
                done.await();
                out.flush();
                System.out.println("done, gaps " + source.gaps() + ", lost bytes " + source.lostBytes());
            }
        }
    }

    @Test
    @Timeout(300)
    void shouldResumeANamedReplayAfterKill9WithEveryMessageAndBoundedRepeats() throws Exception
    {
        try (NetworkNamespaces hosts = NetworkNamespaces.create())
        {
            final String stream = "aeron:udp?endpoint=" + hosts.addressB() + ":40126|stream=23|codec=longs";
            final String publisherUri = stream + "|archive=" + dir.resolve("archive") + "|archive-control=" +
                hosts.addressA() + ":8010|dir=" + dir.resolve("a");
            final String readerUri = stream + "|archive-control=" + hosts.addressA() + ":8010|name=r|positions=" +
                dir.resolve("positions") + "|connect-timeout=30s|dir=" + dir.resolve("b");
            final Path first = dir.resolve("first.txt");
            final Path second = dir.resolve("second.txt");
            try (AcrossHostsTest.NamespacedJvm publisher = new AcrossHostsTest.NamespacedJvm(hosts.a(), dir,
                RecordingPublisher.class, publisherUri, Integer.toString(COUNT)))
            {
                await().atMost(Duration.ofSeconds(60)).until(() -> publisher.stdout().contains("open recording") ||
                    !publisher.process.isAlive());
                assertThat(publisher.process.isAlive()).as(publisher::output).isTrue();
                try (AcrossHostsTest.NamespacedJvm reader = new AcrossHostsTest.NamespacedJvm(hosts.b(), dir,
                    RecordingReader.class, readerUri, first.toString(), "40000", Integer.toString(COUNT - 1)))
                {
                    await().atMost(Duration.ofSeconds(90)).until(() -> reader.stdout().contains("stopped") ||
                        !reader.process.isAlive());
                    assertThat(reader.stdout()).as(reader::output).contains("stopped after 40000");
                    reader.process.destroyForcibly().waitFor();
                }
                try (AcrossHostsTest.NamespacedJvm reader = new AcrossHostsTest.NamespacedJvm(hosts.b(), dir,
                    RecordingReader.class, readerUri, second.toString(), "-1", Integer.toString(COUNT - 1)))
                {
                    assertThat(reader.awaitExit(Duration.ofSeconds(120))).as(reader::output).isZero();
                    assertThat(reader.stdout()).as("a replay from the stored position is no gap")
                        .contains("done, gaps 0, lost bytes 0");
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> publisher.stdout().contains("recorded"));
                publisher.process.getOutputStream().close();
                assertThat(publisher.awaitExit(Duration.ofSeconds(60))).as(publisher::output).isZero();
            }
            final List<Long> before = values(first);
            final List<Long> after = values(second);
            assertThat(before).hasSize(40_000);
            assertContiguous(before, 0);
            assertThat(after).isNotEmpty();
            final long resumedAt = after.get(0);
            assertContiguous(after, resumedAt);
            assertThat(after.get(after.size() - 1)).isEqualTo(COUNT - 1);
            assertThat(resumedAt).as("resumed no later than the first run got to").isLessThanOrEqualTo(40_000);
            final long repeated = 40_000 - resumedAt;
            System.out.println("archive replay resumed at " + resumedAt + ": " + repeated + " messages seen twice");
            assertThat(repeated).isBetween(0L, (long)DUPLICATE_BOUND);
        }
    }

    private static List<Long> values(final Path file) throws IOException
    {
        return Files.readAllLines(file).stream().map(Long::parseLong).toList();
    }

    private static void assertContiguous(final List<Long> values, final long from)
    {
        for (int i = 0; i < values.size(); i++)
        {
            if (values.get(i) != from + i)
            {
                throw new AssertionError("expected " + (from + i) + " at " + i + " but got " + values.get(i));
            }
        }
    }
}
