package io.ringlink.offheap.chronicle;

import io.ringlink.offheap.ChronicleSink;
import io.ringlink.offheap.ChronicleSource;
import io.ringlink.offheap.Codecs;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

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
        final AtomicLong sequence = new AtomicLong();
        try (ChronicleSink<String> sink = ChronicleSink.builder(dir, Codecs.utf8())
            .rollCycle(TestRollCycles.TEST_SECONDLY).retention(Duration.ofSeconds(1)).build();
            ChronicleSource<String> reader = ChronicleSource.builder(dir, Codecs.utf8()).name("slow").build())
        {
            sink.onMessage("m" + sequence.getAndIncrement());
            final List<String> read = new ArrayList<>();
            assertThat(reader.read(read::add, 10)).isOne();
            reader.onDelivered(1);
            final String firstCycleFile = cycleFiles(dir).get(0);

            // The named reader sits in the first cycle: nothing may go, however old.
            await().pollInterval(WRITE_INTERVAL).atMost(Duration.ofSeconds(30)).until(() ->
            {
                sink.onMessage("m" + sequence.getAndIncrement());
                return cycleFiles(dir).size() >= 5;
            });
            assertThat(sink.cycleFilesDeleted()).isZero();
            assertThat(cycleFiles(dir)).contains(firstCycleFile);

            // The reader keeps up from now on: old cycles go, and the directory stays small.
            final AtomicInteger largest = new AtomicInteger();
            final long deletedBefore = sink.cycleFilesDeleted();
            await().pollInterval(WRITE_INTERVAL).atMost(Duration.ofSeconds(30)).until(() ->
            {
                sink.onMessage("m" + sequence.getAndIncrement());
                while (reader.read(read::add, 1000) > 0)
                {
                    reader.onDelivered(read.size());
                }
                final int files = cycleFiles(dir).size();
                if (sink.cycleFilesDeleted() > deletedBefore + 4)
                {
                    largest.accumulateAndGet(files, Math::max);
                }
                return sink.cycleFilesDeleted() > deletedBefore + 8;
            });
            assertThat(cycleFiles(dir)).doesNotContain(firstCycleFile);
            assertThat(largest.get()).as("cycle files kept while writing with 1 s cycles and 1 s retention")
                .isBetween(1, 4);
            assertThat(read).hasSize((int)sequence.get()).endsWith("m" + (sequence.get() - 1));
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
