package io.ringlink.offheap;

import io.ringlink.Link;
import io.ringlink.RingLink;
import io.ringlink.offheap.internal.IpcEndpointProvider;
import io.ringlink.offheap.internal.RingFiles;
import io.ringlink.spi.EndpointUri;
import io.ringlink.test.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code ipc:PATH?open-timeout=DURATION}: a source that starts before its writer waits that long for the ring to be
 * created, creating nothing itself, and fails as a missing ring does at the deadline. Creation is atomic (the file is
 * written whole under a temporary name, then linked into place), so a ring that exists is ready to open.
 */
@Timeout(60)
class IpcOpenTimeoutTest
{
    private static final int MESSAGES = 10_000;

    private final IpcEndpointProvider provider = new IpcEndpointProvider();

    @TempDir
    Path dir;

    @Test
    void shouldDeliverEveryMessageToASourceStartedBeforeItsRingExists() throws Exception
    {
        final Path file = dir.resolve("later");
        final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
        final AtomicReference<Link> link = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread reader = new Thread(() ->
        {
            try
            {
                link.set(RingLink.link("ipc:" + file + "?open-timeout=20s", received));
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        }, "open-timeout-reader");
        reader.start();
        try
        {
            Threads.awaitInside(reader, "awaitExists");
            // For 400 ms, the writer not there yet: the reader keeps waiting and makes nothing on disk.
            await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(10))
                .until(() -> reader.isAlive() && RingFileTestSupport.fileNames(dir).isEmpty());
            @SuppressWarnings("unchecked")
            final IpcRingSink<String> writer = (IpcRingSink<String>)provider.sink(EndpointUri.parse("ipc:" + file));
            try (writer)
            {
                for (int i = 0; i < MESSAGES; i++)
                {
                    writer.put("m" + i);
                }
                reader.join(Duration.ofSeconds(20).toMillis());
                assertThat(failure.get()).isNull();
                assertThat(reader.isAlive()).as("the reader's link opened").isFalse();
                await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == MESSAGES);
                assertThat(new ArrayList<>(received))
                    .isEqualTo(IntStream.range(0, MESSAGES).mapToObj((i) -> "m" + i).toList());
            }
        }
        finally
        {
            reader.interrupt();
            reader.join();
            if (link.get() != null)
            {
                link.get().close();
            }
        }
    }

    @Test
    void shouldFailAsAMissingRingAtTheOpenTimeoutAndCreateNothing() throws Exception
    {
        // Nested: not even the directory a writer would make appears.
        final Path missing = dir.resolve("not-yet").resolve("ring");
        final List<String> before = RingFileTestSupport.fileNames(dir);
        final long start = System.nanoTime();
        assertThatThrownBy(() -> provider.source(EndpointUri.parse("ipc:" + missing + "?open-timeout=300ms")))
            .isInstanceOf(NoSuchFileException.class)
            .hasMessage(missing + ": no such ring within open-timeout=300ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300))
            .isLessThan(Duration.ofSeconds(10));
        assertThat(RingFileTestSupport.fileNames(dir)).isEqualTo(before);
    }

    @Test
    void shouldFailAtOnceWithoutAnOpenTimeoutAsBefore() throws Exception
    {
        final Path missing = dir.resolve("missing");
        for (final String uri : List.of("ipc:" + missing, "ipc:" + missing + "?open-timeout=0"))
        {
            final long start = System.nanoTime();
            assertThatThrownBy(() -> provider.source(EndpointUri.parse(uri)))
                .isInstanceOf(NoSuchFileException.class).hasMessage(missing + ": no such ring");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
        assertThat(RingFileTestSupport.fileNames(dir)).isEmpty();
    }

    @Test
    void shouldRefuseBadParametersBeforeWaiting() throws Exception
    {
        final String ring = "ipc:" + dir.resolve("missing");
        final long start = System.nanoTime();
        assertThatThrownBy(() -> provider.source(EndpointUri.parse(ring + "?open-timeout=30s&codec=nope")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> provider.source(EndpointUri.parse(ring + "?open-timeout=30s&wait=fast")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wait='fast'");
        assertThatThrownBy(() -> provider.source(EndpointUri.parse(ring + "?open-timeout=soon")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("open-timeout='soon' is not a duration like 250ms, 5s or 2m");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(RingFileTestSupport.fileNames(dir)).isEmpty();
    }

    @Test
    void shouldRefuseAnOpenTimeoutOnADestinationAndCreateNothing()
    {
        assertThatThrownBy(() -> provider.sink(EndpointUri.parse("ipc:" + dir.resolve("r") + "?open-timeout=5s")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("open-timeout is for the reading side; a destination creates a missing ring");
        assertThat(RingFileTestSupport.fileNames(dir)).isEmpty();
    }

    @Test
    void shouldFailAtOnceWhenWhatAppearsIsNotARing() throws Exception
    {
        // Creation is atomic, so a file at the path is judged as it is: a file that is not a ring never becomes one.
        final Path file = dir.resolve("text");
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread reader = new Thread(() -> failure.set(openFailure("ipc:" + file + "?open-timeout=30s")),
            "open-timeout-reader");
        final long start = System.nanoTime();
        reader.start();
        try
        {
            Threads.awaitInside(reader, "awaitExists");
            Files.writeString(file, "not a ring, and never one\n");
        }
        finally
        {
            reader.join();
        }
        assertThat(failure.get()).isInstanceOf(RingFileException.class).hasMessageContaining("is not a ring file");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("well before the open-timeout")
            .isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void shouldEndTheWaitWhenInterrupted() throws Exception
    {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicBoolean interrupted = new AtomicBoolean();
        final Thread reader = new Thread(() ->
        {
            failure.set(openFailure("ipc:" + dir.resolve("never") + "?open-timeout=60s"));
            interrupted.set(Thread.currentThread().isInterrupted());
        }, "open-timeout-reader");
        reader.start();
        try
        {
            Threads.awaitInside(reader, "awaitExists");
        }
        finally
        {
            reader.interrupt();
            reader.join();
        }
        assertThat(failure.get()).isInstanceOf(InterruptedIOException.class)
            .hasMessageContaining("waiting for ring " + dir.resolve("never"));
        assertThat(interrupted.get()).as("the interrupt status is kept").isTrue();
        assertThat(RingFileTestSupport.fileNames(dir)).isEmpty();
    }

    @Test
    void shouldNeverShowAHalfMadeRingAtItsPath() throws Exception
    {
        // A watcher that looks as fast as it can finds each ring the moment it appears, and its header is whole: had
        // the writer made the file in place (created, sized, then the header written), the watcher would see a file
        // of 0 bytes or without its magic.
        final int rings = 300;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread watcher = new Thread(() ->
        {
            try
            {
                for (int i = 0; i < rings; i++)
                {
                    final Path file = dir.resolve("ring-" + i);
                    final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (!Files.exists(file) && System.nanoTime() < deadline)
                    {
                        Thread.onSpinWait();
                    }
                    RingFiles.validate(file, "utf8");
                }
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        }, "ring-watcher");
        watcher.start();
        try
        {
            for (int i = 0; i < rings && failure.get() == null; i++)
            {
                IpcRing.builder(dir.resolve("ring-" + i)).capacity(1024).codec("utf8").create().close();
            }
        }
        finally
        {
            // Bounded: the watcher gives up on a ring that does not appear within 20 s.
            watcher.join();
        }
        assertThat(failure.get()).isNull();
    }

    private Throwable openFailure(final String uri)
    {
        try
        {
            provider.source(EndpointUri.parse(uri)).close();
            return null;
        }
        catch (final Throwable ex)
        {
            return ex;
        }
    }
}
