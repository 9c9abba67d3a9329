package io.ringlink.offheap;

import io.ringlink.Sink;
import io.ringlink.spi.EndpointProvider;
import io.ringlink.spi.EndpointUri;
import io.ringlink.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12's two ring items: a second producer of a one-to-one ring is refused when it opens, naming the holder's
 * pid; and opening a ring for reading never creates anything.
 */
class IpcOpeningTest
{
    @TempDir
    Path dir;

    /**
     * Opens the sink of an {@code ipc:} URI, says so, and holds it until killed.
     */
    public static final class HoldingProducer
    {
        public static void main(final String[] args) throws Exception
        {
            try (Sink<?> sink = IpcCrossProcessTest.ipcProvider().sink(EndpointUri.parse(args[0])))
            {
                System.out.println("holding " + sink.name());
                System.out.flush();
                Thread.sleep(120_000);
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldRefuseASecondOneToOneProducerWhenItOpensNamingTheHoldersPid() throws Exception
    {
        final Path file = dir.resolve("ring");
        final String uri = "ipc:" + file + "?codec=longs";
        final EndpointProvider provider = IpcCrossProcessTest.ipcProvider();
        try (ChildJvm holder = ChildJvm.start(dir, HoldingProducer.class, uri))
        {
            await().atMost(Duration.ofSeconds(30)).until(() -> holder.stdout().contains("holding") ||
                !holder.process().isAlive());
            assertThat(holder.process().isAlive()).as(holder.output()).isTrue();
            assertThatThrownBy(() -> provider.sink(EndpointUri.parse(uri)))
                .isInstanceOf(RingRoleException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("already has a producer: process " + holder.process().pid())
                .satisfies((ex) -> assertThat(((RingRoleException)ex).holderPid()).isEqualTo(holder.process().pid()));
            try (IpcRing ring = IpcRing.open(file, "longs"))
            {
                assertThat(ring.producedCount()).isZero();
            }
            holder.kill();
        }
        // the holder is dead: its role is taken over at once
        provider.sink(EndpointUri.parse(uri)).close();
    }

    @Test
    void shouldNeverCreateARingWhenOpeningItForReading() throws Exception
    {
        final EndpointProvider provider = IpcCrossProcessTest.ipcProvider();
        final List<String> before = RingFileTestSupport.fileNames(dir);
        final Path missing = dir.resolve("missing");
        final Path nested = dir.resolve("a").resolve("b").resolve("ring");
        for (final Path path : List.of(missing, nested))
        {
            // The provider refuses a missing ring before opening anything, as chronicle: refuses a missing queue.
            assertThatThrownBy(() -> provider.source(EndpointUri.parse("ipc:" + path)))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining(path + ": no such ring");
            assertThatThrownBy(() -> provider.source(EndpointUri.parse("ipc:" + path + "?capacity=64k&kind=" +
                "many-to-one"))).isInstanceOf(NoSuchFileException.class).hasMessageContaining(path.toString());
            assertThatThrownBy(() -> IpcRing.open(path, null)).isInstanceOf(RingFileException.class)
                .hasMessageContaining(path.toString());
            assertThatThrownBy(() -> IpcRing.builder(path).open()).isInstanceOf(RingFileException.class)
                .hasMessageContaining(path.toString());
            assertThatThrownBy(() -> SharedQueue.open(path, Codecs.utf8())).isInstanceOf(RingFileException.class)
                .hasMessageContaining(path.toString());
        }
        assertThatThrownBy(() -> provider.source(EndpointUri.parse("ipc:" + missing + "?replace")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replace");
        assertThat(RingFileTestSupport.fileNames(dir)).isEqualTo(before);
    }
}
