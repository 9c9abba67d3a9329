package io.ringlink.offheap.chronicle;

import io.ringlink.offheap.ChronicleSink;
import io.ringlink.offheap.ChronicleSource;
import io.ringlink.offheap.Codecs;
import io.ringlink.offheap.internal.chronicle.ChronicleEndpointProvider;
import io.ringlink.spi.EndpointUri;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Chronicle reader never creates what it reads: a missing queue, a directory that is not a queue ({@code /etc}) and
 * a file each fail naming the path, and the directory listing is the same before and after. A file where a queue
 * directory should be is refused alike by readers and writers.
 */
@Timeout(60)
class ChronicleReadingNeverCreatesTest
{
    @TempDir
    Path temp;

    @Test
    void shouldRefuseAMissingQueueAndCreateNothing() throws Exception
    {
        final Path missing = temp.resolve("x/nope");
        for (final ThrowingCallable open : readers(missing))
        {
            assertThatThrownBy(open).isInstanceOf(NoSuchFileException.class).hasMessageContaining(missing.toString())
                .hasMessageContaining("no such queue");
        }
        assertThat(listing()).isEmpty();
    }

    @Test
    void shouldRefuseADirectoryThatIsNotAQueueAndLeaveItAsItWas() throws Exception
    {
        final Path etc = Files.createDirectory(temp.resolve("etc"));
        Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n");
        final Path empty = Files.createDirectory(temp.resolve("empty"));
        final List<Path> before = listing();
        for (final Path dir : List.of(etc, empty))
        {
            for (final ThrowingCallable open : readers(dir))
            {
                assertThatThrownBy(open).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(dir + " is not a chronicle: queue (no metadata.cq4t in it)");
            }
        }
        assertThat(listing()).isEqualTo(before);
    }

    @Test
    void shouldRefuseAFileWhereAQueueShouldBeForReadersAndWritersAlike() throws Exception
    {
        final Path file = Files.writeString(temp.resolve("hosts"), "127.0.0.1 localhost\n");
        final List<Path> before = listing();
        final List<ThrowingCallable> openers = new java.util.ArrayList<>(readers(file));
        openers.add(() -> ChronicleSink.builder(file, Codecs.utf8()).build().close());
        openers.add(() -> new ChronicleEndpointProvider().sink(EndpointUri.parse("chronicle:" + file)).close());
        for (final ThrowingCallable open : openers)
        {
            assertThatThrownBy(open).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file + " is not a chronicle: queue (a file, not a directory)");
        }
        assertThat(listing()).isEqualTo(before);
        assertThat(Files.readString(file)).isEqualTo("127.0.0.1 localhost\n");
    }

    @Test
    void shouldAddNoFileWhenReadingAnExistingQueueNamedOrNotFromAnyStart() throws Exception
    {
        final Path dir = temp.resolve("q");
        try (ChronicleSink<String> sink = ChronicleSink.builder(dir, Codecs.utf8()).build())
        {
            sink.onMessage("a");
            sink.onMessage("b");
        }
        final List<Path> before = listing();
        try (ChronicleSource<String> fromStart = ChronicleSource.builder(dir, Codecs.utf8()).build();
            ChronicleSource<String> fromEnd = ChronicleSource.builder(dir, Codecs.utf8()).fromEnd().build();
            ChronicleSource<String> named = ChronicleSource.builder(dir, Codecs.utf8()).name("n").build())
        {
            assertThat(ChronicleLinkTest.readAll(fromStart, 2)).containsExactly("a", "b");
            assertThat(ChronicleLinkTest.readAll(named, 2)).containsExactly("a", "b");
            assertThat(fromEnd.readAvailable((message) -> { }, 10)).isZero();
            assertThat(fromStart.read((message) -> { }, 10)).as("nothing more after an idle wait").isZero();
        }
        try (var source = new ChronicleEndpointProvider().source(EndpointUri.parse("chronicle:" + dir + "?name=m")))
        {
            assertThat(source.readAvailable((message) -> { }, 10)).isEqualTo(2);
        }
        assertThat(listing()).isEqualTo(before);
    }

    /** Every way to open a reader on the path: the builder and the provider (from the start and by name). */
    private static List<ThrowingCallable> readers(final Path dir)
    {
        final ChronicleEndpointProvider provider = new ChronicleEndpointProvider();
        return List.of(
            () -> ChronicleSource.builder(dir, Codecs.utf8()).build().close(),
            () -> ChronicleSource.builder(dir, Codecs.utf8()).name("r").fromEnd().build().close(),
            () -> provider.source(EndpointUri.parse("chronicle:" + dir)).close(),
            () -> provider.source(EndpointUri.parse("chronicle:" + dir + "?name=r&start=end")).close());
    }

    private List<Path> listing() throws Exception
    {
        try (Stream<Path> paths = Files.walk(temp))
        {
            return paths.filter((path) -> !path.equals(temp)).sorted().toList();
        }
    }
}
