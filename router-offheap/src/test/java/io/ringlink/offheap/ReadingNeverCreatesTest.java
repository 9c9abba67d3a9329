package io.ringlink.offheap;

import io.ringlink.offheap.internal.IpcEndpointProvider;
import io.ringlink.offheap.internal.chronicle.ChronicleEndpointProvider;
import io.ringlink.spi.EndpointUri;
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
 * The {@code ipc:} and {@code chronicle:} providers: a source never creates what it reads, and a parameter the scheme
 * does not know is refused naming the known ones; either way nothing appears on disk.
 */
@Timeout(60)
class ReadingNeverCreatesTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRefuseASourceForAMissingRingAndCreateNothing() throws Exception
    {
        assertThatThrownBy(() -> new IpcEndpointProvider().source(EndpointUri.parse("ipc:" + dir.resolve("nope"))))
            .isInstanceOf(NoSuchFileException.class).hasMessageContaining("no such ring");
        assertThat(listing()).isEmpty();
    }

    @Test
    void shouldRefuseASourceForAMissingQueueOrADirectoryThatIsNoQueueAndCreateNothing() throws Exception
    {
        final ChronicleEndpointProvider provider = new ChronicleEndpointProvider();
        assertThatThrownBy(() -> provider.source(EndpointUri.parse("chronicle:" + dir.resolve("x/nope"))))
            .isInstanceOf(NoSuchFileException.class).hasMessageContaining("no such queue");
        Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> provider.source(EndpointUri.parse("chronicle:" + dir.resolve("empty"))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a chronicle: queue");
        assertThat(listing()).containsExactly(dir.resolve("empty"));
    }

    @Test
    void shouldRefuseUnknownParametersNamingTheKnownOnes() throws Exception
    {
        assertThatThrownBy(() -> new IpcEndpointProvider().sink(
            EndpointUri.parse("ipc:" + dir.resolve("r") + "?capacty=4m")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("unknown parameter 'capacty' for ipc:")
            .hasMessageContaining("known: capacity, codec, delete-on-close, kind, open-timeout, replace, " +
                "unblock-timeout, wait");
        assertThatThrownBy(() -> new ChronicleEndpointProvider().sink(
            EndpointUri.parse("chronicle:" + dir.resolve("q") + "?nam=a")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("unknown parameter 'nam' for chronicle:")
            .hasMessageContaining("known: codec, name, retention, roll, start, wait");
        assertThat(listing()).isEmpty();
    }

    private List<Path> listing() throws Exception
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            return paths.filter((path) -> !path.equals(dir)).sorted().toList();
        }
    }
}
