package io.ringlink.offheap.chronicle;

import io.ringlink.offheap.ChronicleSink;
import io.ringlink.offheap.Codecs;
import io.ringlink.test.ChildJvm;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static io.ringlink.offheap.chronicle.ChronicleMains.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(120)
class ChronicleRetentionTest
{
    private static final Duration WRITE_INTERVAL = Duration.ofMillis(20);

    @TempDir
    Path temp;

    @Test
    void shouldDeleteOldCyclesOnlyOnceNoNamedReaderNeedsThemSoTheDirectoryStopsGrowing() throws Exception
    {
        final Path dir = temp.resolve("q");
        final Path received = temp.resolve("received.txt");
        final AtomicLong sequence = new AtomicLong();
        try (ChronicleSink<String> sink = ChronicleSink.builder(dir, Codecs.utf8())
            .rollCycle(TestRollCycles.TEST_SECONDLY).retention(Duration.ofSeconds(1)).build())
        {
            sink.onMessage(message(sequence.getAndIncrement()));
            // A named reader in another JVM takes the first message and stops: its position stays in cycle one.
            try (ChildJvm reader = ChildJvm.start(temp, ChronicleMains.NamedConsumer.class, dir.toString(), "slow",
                "start", "0", received.toString(), "0"))
            {
                assertThat(reader.awaitExit(Duration.ofSeconds(60))).as(reader.output()).isZero();
            }
            final String firstCycleFile = cycleFiles(dir).get(0);

            await().pollInterval(WRITE_INTERVAL).atMost(Duration.ofSeconds(30)).until(() ->
            {
                sink.onMessage(message(sequence.getAndIncrement()));
                return cycleFiles(dir).size() >= 5;
            });
            assertThat(sink.cycleFilesDeleted()).as("the named reader still needs every cycle").isZero();
            assertThat(cycleFiles(dir)).contains(firstCycleFile);

            // The reader comes back and follows live: old cycles go, and the directory stays small.
            final AtomicInteger largest = new AtomicInteger();
            try (ChildJvm reader = ChildJvm.start(temp, ChronicleMains.NamedConsumer.class, dir.toString(), "slow",
                "start", Long.toString(Long.MAX_VALUE), received.toString(), "0"))
            {
                await().pollInterval(WRITE_INTERVAL).atMost(Duration.ofSeconds(60)).until(() ->
                {
                    sink.onMessage(message(sequence.getAndIncrement()));
                    final int files = cycleFiles(dir).size();
                    if (sink.cycleFilesDeleted() >= 5)
                    {
                        largest.accumulateAndGet(files, Math::max);
                    }
                    return sink.cycleFilesDeleted() >= 9;
                });
                assertThat(reader.process().isAlive()).as(reader.output()).isTrue();
            }
            assertThat(cycleFiles(dir)).doesNotContain(firstCycleFile);
            assertThat(largest.get()).as("cycle files kept while writing with 1 s cycles and 1 s retention")
                .isBetween(1, 4);
            final List<Long> sequences = ChronicleProcessTest.lines(received).stream().map(Long::parseLong)
                .distinct().toList();
            assertThat(sequences).as("the reader missed nothing while files were deleted behind it")
                .hasSizeGreaterThan(100).isSorted();
            assertThat(sequences.get(sequences.size() - 1)).isEqualTo(sequences.size() - 1L);
        }
    }

    private static List<String> cycleFiles(final Path dir)
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.map((file) -> file.getFileName().toString()).filter((name) -> name.endsWith(".cq4"))
                .sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
