package io.ringlink.offheap.chronicle;

import io.ringlink.Link;
import io.ringlink.Linker;
import io.ringlink.MessageHandler;
import io.ringlink.RingLink;
import io.ringlink.Router;
import io.ringlink.Sink;
import io.ringlink.Source;
import io.ringlink.WaitStrategy;
import io.ringlink.offheap.ChronicleSink;
import io.ringlink.offheap.ChronicleSource;
import io.ringlink.offheap.Codec;
import io.ringlink.offheap.CodecException;
import io.ringlink.offheap.Codecs;
import io.ringlink.offheap.RecordHandler;
import io.ringlink.offheap.internal.chronicle.ChronicleEndpointProvider;
import io.ringlink.spi.EndpointProvider;
import io.ringlink.spi.EndpointUri;
import io.ringlink.test.Threads;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class ChronicleLinkTest
{
    private static final int ALLOCATION_ROUND = 100_000;
    private static final int ALLOCATION_ROUNDS = 5;

    @TempDir
    Path temp;

    @Test
    void shouldReplayEverythingAppendedWhenReadingFromTheStart() throws Exception
    {
        final Path dir = temp.resolve("q");
        try (ChronicleSink<String> sink = ChronicleSink.builder(dir, Codecs.utf8()).build())
        {
            for (int i = 0; i < 1000; i++)
            {
                sink.onMessage("m" + i + " a😂");
            }
        }
        try (ChronicleSource<String> source = ChronicleSource.builder(dir, Codecs.utf8()).fromStart().build())
        {
            final List<String> read = readAll(source, 1000);
            assertThat(read).hasSize(1000).startsWith("m0 a😂").endsWith("m999 a😂");
        }
    }

    @Test
    void shouldReadOnlyNewMessagesFromTheEndAndFromAGivenIndex() throws Exception
    {
        final Path dir = temp.resolve("q");
        try (ChronicleSink<String> sink = ChronicleSink.builder(dir, Codecs.utf8()).build();
            ChronicleSource<String> fromEnd = ChronicleSource.builder(dir, Codecs.utf8()).fromEnd().build())
        {
            sink.onMessage("old-1");
            sink.onMessage("old-2");
            final long second = sink.lastIndexAppended();
            try (ChronicleSource<String> late = ChronicleSource.builder(dir, Codecs.utf8()).fromEnd().build();
                ChronicleSource<String> fromIndex = ChronicleSource.builder(dir, Codecs.utf8()).fromIndex(second)
                    .build())
            {
                sink.onMessage("new");
                assertThat(readAll(late, 1)).containsExactly("new");
                assertThat(readAll(fromIndex, 2)).containsExactly("old-2", "new");
            }
            assertThat(readAll(fromEnd, 3)).containsExactly("old-1", "old-2", "new");
        }
    }

    @Test
    void shouldRefuseAStartIndexThatIsNotInTheQueue() throws Exception
    {
        final Path dir = temp.resolve("q");
        try (ChronicleSink<String> sink = ChronicleSink.builder(dir, Codecs.utf8()).build())
        {
            sink.onMessage("one");
            final long beyond = sink.lastIndexAppended() + 100;
            assertThatThrownBy(() -> ChronicleSource.builder(dir, Codecs.utf8()).fromIndex(beyond).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not in the queue");
        }
    }

    @Test
    void shouldAppendNothingForAMessageTheCodecFailsOn() throws Exception
    {
        final Path dir = temp.resolve("q");
        final Codec<String> failing = new FailingOn("bad");
        try (ChronicleSink<String> sink = ChronicleSink.builder(dir, failing).build())
        {
            sink.onMessage("a");
            assertThatThrownBy(() -> sink.onMessage("bad")).isInstanceOf(CodecException.class);
            sink.onMessage("b");
        }
        try (ChronicleSource<String> source = ChronicleSource.builder(dir, Codecs.utf8()).build())
        {
            assertThat(readAll(source, 2)).containsExactly("a", "b");
            assertThat(source.read(collector(new ArrayList<>()), 10)).isZero();
        }
    }

    @Test
    void shouldCarryEmptyMessagesAndRefuseDocumentsRingLinkDidNotWrite() throws Exception
    {
        final Path dir = temp.resolve("q");
        try (ChronicleSink<String> sink = ChronicleSink.builder(dir, Codecs.utf8()).build())
        {
            sink.onMessage("");
            sink.onMessage("x");
        }
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).build();
            ExcerptAppender appender = queue.createAppender();
            DocumentContext document = appender.writingDocument())
        {
            document.wire().bytes().write("foreign".getBytes(StandardCharsets.UTF_8));
        }
        try (ChronicleSource<String> source = ChronicleSource.builder(dir, Codecs.utf8()).build())
        {
            assertThat(readAll(source, 2)).containsExactly("", "x");
            assertThatThrownBy(() -> source.read(collector(new ArrayList<>()), 1))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("is not a RingLink message (format byte 0x66");
        }
    }

    @Test
    void shouldAppendAndReadWithoutAllocatingPerMessageBeyondTheCodec() throws Exception
    {
        final Path dir = temp.resolve("q");
        final Long value = 42L;
        final long[] sum = {0};
        final MessageHandler<Long> adder = (message) -> sum[0] += message;
        try (ChronicleSink<Long> sink = ChronicleSink.builder(dir, Codecs.longs()).build();
            ChronicleSource<Long> source = ChronicleSource.builder(dir, Codecs.longs()).name("alloc").build())
        {
            // Long 42 is a cached box, so whatever is allocated would be RingLink's or Chronicle's.
            assertThat(steadyAllocationPerMessage(() ->
            {
                for (int i = 0; i < ALLOCATION_ROUND; i++)
                {
                    sink.onMessage(value);
                }
            })).as("bytes allocated per appended message once warm").isLessThan(0.5);
            assertThat(steadyAllocationPerMessage(() ->
            {
                for (int read = 0; read < ALLOCATION_ROUND; )
                {
                    read += source.read(adder, Math.min(256, ALLOCATION_ROUND - read));
                }
            })).as("bytes allocated per read message once warm").isLessThan(0.5);
        }
        assertThat(sum[0]).isEqualTo(42L * ALLOCATION_ROUNDS * ALLOCATION_ROUND);
    }

    @Test
    void shouldAppendRecordsFromAnyBufferAndHandThemOverInPlaceOrDecoded() throws Exception
    {
        final Path dir = temp.resolve("records");
        final byte[] array = "..hello..".getBytes(StandardCharsets.UTF_8);
        final ByteBuffer heap = ByteBuffer.wrap("xxworld".getBytes(StandardCharsets.UTF_8), 2, 5).slice();
        final ByteBuffer direct = ByteBuffer.allocateDirect(16).put("direct!".getBytes(StandardCharsets.UTF_8));
        try (ChronicleSink<String> sink = ChronicleSink.builder(dir, Codecs.utf8()).build();
            ChronicleSource<String> decoded = ChronicleSource.builder(dir, Codecs.utf8()).build();
            ChronicleSource<String> records = ChronicleSource.builder(dir, Codecs.utf8()).build())
        {
            sink.append(new UnsafeBuffer(array), 2, 5);
            sink.append(new UnsafeBuffer(heap), 0, 5);
            sink.append(new UnsafeBuffer(direct), 0, 7);
            sink.append(new UnsafeBuffer(array), 0, 0);
            sink.onMessage("encoded");
            assertThatThrownBy(() -> sink.append(new UnsafeBuffer(array), 5, 5))
                .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> sink.append(new UnsafeBuffer(array), -1, 2))
                .isInstanceOf(IndexOutOfBoundsException.class);

            assertThat(readAll(decoded, 5)).containsExactly("hello", "world", "direct!", "", "encoded");
            final List<String> inPlace = new ArrayList<>();
            final RecordHandler handler = (buffer, offset, length) ->
                inPlace.add(buffer.getStringWithoutLengthUtf8(offset, length));
            assertThat(records.read(handler, 2)).isEqualTo(2);
            assertThat(records.read(handler, 16)).isEqualTo(3);
            assertThat(records.read(handler, 16)).isZero();
            assertThat(inPlace).containsExactly("hello", "world", "direct!", "", "encoded");
            assertThat(records.backlog()).isZero();
        }
        final ChronicleSink<String> closed = ChronicleSink.builder(dir, Codecs.utf8()).build();
        closed.close();
        assertThatThrownBy(() -> closed.append(new UnsafeBuffer(array), 0, 1))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
    }

    @Test
    void shouldCommitANamedPositionAfterEachRecordBatchUpToTheLastRecordWhoseHandlerReturned() throws Exception
    {
        final Path dir = temp.resolve("named-records");
        final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
        try (ChronicleSink<Long> sink = ChronicleSink.builder(dir, Codecs.longs()).build())
        {
            for (long i = 0; i < 10; i++)
            {
                message.putLong(0, i);
                sink.append(message, 0, Long.BYTES);
            }
            final List<Long> seen = new ArrayList<>();
            try (ChronicleSource<Long> source = ChronicleSource.builder(dir, Codecs.longs()).name("records").build())
            {
                assertThat(source.read((buffer, offset, length) -> seen.add(buffer.getLong(offset)), 4)).isEqualTo(4);
                assertThatThrownBy(() -> source.read((buffer, offset, length) ->
                {
                    seen.add(buffer.getLong(offset));
                    if (buffer.getLong(offset) == 5)
                    {
                        throw new IllegalStateException("handler failed on 5");
                    }
                }, 16)).hasMessage("handler failed on 5");
            }
            assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
            try (ChronicleSource<Long> again = ChronicleSource.builder(dir, Codecs.longs()).name("records").build())
            {
                assertThat(readAll(again, 5)).as("the record whose handler threw is read again")
                    .containsExactly(5L, 6L, 7L, 8L, 9L);
            }
        }
    }

    @Test
    void shouldMoveRecordsWithoutAllocatingOnceWarm() throws Exception
    {
        final Path dir = temp.resolve("records-alloc");
        final UnsafeBuffer message = new UnsafeBuffer(new byte[32]);
        final long[] sum = {0};
        final RecordHandler adder = (buffer, offset, length) -> sum[0] += buffer.getLong(offset) + length;
        try (ChronicleSink<byte[]> sink = ChronicleSink.builder(dir, Codecs.bytes()).build();
            ChronicleSource<byte[]> source = ChronicleSource.builder(dir, Codecs.bytes()).build())
        {
            final double perRecord = steadyAllocationPerMessage(() ->
            {
                for (int i = 0; i < ALLOCATION_ROUND; i++)
                {
                    message.putLong(0, 1);
                    sink.append(message, 0, message.capacity());
                }
                for (int read = 0; read < ALLOCATION_ROUND; )
                {
                    read += source.read(adder, 256);
                }
            });
            assertThat(perRecord).as("bytes allocated per appended and read record once warm").isLessThan(0.5);
        }
        assertThat(sum[0]).isEqualTo(33L * ALLOCATION_ROUNDS * ALLOCATION_ROUND);
    }

    /**
     * Runs a round of {@link #ALLOCATION_ROUND} messages {@link #ALLOCATION_ROUNDS} times and returns the fewest bytes
     * this thread allocated per message in a round after the first two (the warm-up).
     */
    private static double steadyAllocationPerMessage(final Runnable round)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < ALLOCATION_ROUNDS; i++)
        {
            final long before = threads.getThreadAllocatedBytes(thread);
            round.run();
            if (i >= 2)
            {
                fewest = Math.min(fewest, threads.getThreadAllocatedBytes(thread) - before);
            }
        }
        return fewest / (double)ALLOCATION_ROUND;
    }

    @Test
    void shouldCreateTheQueueDirectoryOwnerOnly() throws Exception
    {
        final Path dir = temp.resolve("a").resolve("q");
        try (ChronicleSink<String> sink = ChronicleSink.builder(dir, Codecs.utf8()).build())
        {
            sink.onMessage("x");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        try (var files = Files.list(dir))
        {
            files.filter(Files::isRegularFile).forEach((file) ->
                assertThat(permissions(file)).as(file.toString()).isEqualTo("rw-------"));
        }
    }

    @Test
    void shouldCommitANamedPositionOnlyOnceEverySinkHasTheMessagesAndResumeAfterIt() throws Exception
    {
        final Path dir = temp.resolve("q");
        try (ChronicleSink<String> sink = ChronicleSink.builder(dir, Codecs.utf8()).build())
        {
            for (int i = 0; i < 500; i++)
            {
                sink.onMessage("m" + i);
            }
            final LinkedBlockingQueue<String> first = new LinkedBlockingQueue<>();
            final ChronicleSource<String> source = ChronicleSource.builder(dir, Codecs.utf8()).name("reader1")
                .fromEnd().build();
            assertThat(source.committedIndex()).isEqualTo(sink.lastIndexAppended());
            try (Router<String> router = Router.builder().name("named").ringSize(64)
                .waitStrategy(WaitStrategy.BLOCKING).build())
            {
                router.write(first);
                router.read(source);
                for (int i = 500; i < 700; i++)
                {
                    sink.onMessage("m" + i);
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> first.size() == 200);
            }
            Threads.assertNoThreadsNamed("ringlink-named-");
            assertThat(new ArrayList<>(first)).startsWith("m500").endsWith("m699");

            for (int i = 700; i < 800; i++)
            {
                sink.onMessage("m" + i);
            }
            try (ChronicleSource<String> again = ChronicleSource.builder(dir, Codecs.utf8()).name("reader1")
                .fromEnd().build())
            {
                assertThat(readAll(again, 100)).startsWith("m700").endsWith("m799");
            }
        }
    }

    @Test
    void shouldApplyStartOnlyTheFirstTimeANameIsUsed() throws Exception
    {
        final Path dir = temp.resolve("q");
        try (ChronicleSink<String> sink = ChronicleSink.builder(dir, Codecs.utf8()).build())
        {
            sink.onMessage("before");
            try (ChronicleSource<String> first = ChronicleSource.builder(dir, Codecs.utf8()).name("late").fromEnd()
                .build())
            {
                assertThat(first.committedIndex()).as("the end is stored at once").isEqualTo(sink.lastIndexAppended());
            }
            sink.onMessage("while away");
            try (ChronicleSource<String> again = ChronicleSource.builder(dir, Codecs.utf8()).name("late").fromEnd()
                .build())
            {
                assertThat(readAll(again, 1)).containsExactly("while away");
            }
        }
    }

    @Test
    void shouldNotCommitANamedPositionPastWhatABlockedSinkHasNotReceived() throws Exception
    {
        final Path dir = temp.resolve("q");
        final long[] indices = new long[100];
        try (ChronicleSink<String> sink = ChronicleSink.builder(dir, Codecs.utf8()).build())
        {
            for (int i = 0; i < indices.length; i++)
            {
                sink.onMessage("m" + i);
                indices[i] = sink.lastIndexAppended();
            }
        }
        final LinkedBlockingQueue<String> fast = new LinkedBlockingQueue<>();
        final CountDownLatch release = new CountDownLatch(1);
        final ChronicleSource<String> source = ChronicleSource.builder(dir, Codecs.utf8()).name("r").build();
        try (Router<String> router = Router.builder().name("blocked").ringSize(256)
            .waitStrategy(WaitStrategy.BLOCKING).build())
        {
            router.write(fast);
            router.write((Sink<String>)(message) ->
            {
                if (message.equals("m50"))
                {
                    release.await();
                }
            });
            router.read(source);
            await().atMost(Duration.ofSeconds(20)).until(() -> fast.size() == 100);
            // Several idle reads later, the position still waits for the blocked sink.
            await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> source.committedIndex() <= indices[49]);
            release.countDown();
            await().atMost(Duration.ofSeconds(20)).until(() -> source.committedIndex() == indices[99]);
        }
    }

    @Test
    void shouldCarryMessagesThroughChronicleUrisGivenToLink() throws Exception
    {
        final String uri = "chronicle:" + temp.resolve("linked") + "?codec=utf8";
        final LinkedBlockingQueue<String> in = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<Object> out = new LinkedBlockingQueue<>();
        final Linker linker = RingLink.linker().waitStrategy(WaitStrategy.BLOCKING).ringSize(1024);
        try (Link writer = linker.link(in, uri);
            Link reader = linker.link(uri + "&name=linked&start=start", out))
        {
            in.addAll(List.of("first", "a😂", "", "last"));
            await().atMost(Duration.ofSeconds(20)).until(() -> out.size() == 4);
            assertThat(writer.failure()).isEmpty();
            assertThat(reader.failure()).isEmpty();
        }
        assertThat(new ArrayList<>(out)).containsExactly("first", "a😂", "", "last");
    }

    @Test
    void shouldResolveChronicleUrisThroughTheServiceLoader() throws Exception
    {
        final EndpointProvider provider = ServiceLoader.load(EndpointProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter((candidate) -> candidate.schemes().contains("chronicle"))
            .findFirst().orElseThrow();
        final Path dir = temp.resolve("uri");
        @SuppressWarnings("unchecked")
        final ChronicleSink<Long> sink = (ChronicleSink<Long>)provider.sink(
            EndpointUri.parse("chronicle:" + dir + "?codec=longs&roll=fast_hourly&retention=1h"));
        try (sink)
        {
            sink.onMessage(42L);
        }
        @SuppressWarnings("unchecked")
        final ChronicleSource<Long> source = (ChronicleSource<Long>)provider.source(
            EndpointUri.parse("chronicle:" + dir + "?codec=longs&start=start&name=r1"));
        try (source)
        {
            assertThat(readAll(source, 1)).containsExactly(42L);
        }
        assertThatThrownBy(() -> provider.source(EndpointUri.parse("chronicle:" + dir + "?codec=nope")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("codec 'nope' is not one of");
        assertThatThrownBy(() -> provider.sink(EndpointUri.parse("chronicle:" + dir + "?roll=weekly2")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown roll cycle 'weekly2'");
        assertThatThrownBy(() -> provider.source(EndpointUri.parse("chronicle:" + dir + "?start=middle")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start='middle'");
    }

    @Test
    @Timeout(60)
    void shouldRoundTripThroughAUriThatAsksForAYieldingWaitAndRefuseAnUnknownWait() throws Exception
    {
        final EndpointProvider provider = new ChronicleEndpointProvider();
        final Path dir = temp.resolve("wait");
        @SuppressWarnings("unchecked")
        final ChronicleSink<String> sink = (ChronicleSink<String>)provider.sink(EndpointUri.parse("chronicle:" + dir));
        @SuppressWarnings("unchecked")
        final ChronicleSource<String> source = (ChronicleSource<String>)provider.source(
            EndpointUri.parse("chronicle:" + dir + "?start=end&wait=yielding"));
        try (sink; source)
        {
            final List<String> read = new ArrayList<>();
            final long start = System.nanoTime();
            assertThat(source.read(collector(read), 16)).as("nothing written yet").isZero();
            assertThat(System.nanoTime() - start).as("an idle read waits about IDLE_WAIT_NANOS, then returns")
                .isGreaterThanOrEqualTo(ChronicleSource.IDLE_WAIT_NANOS)
                .isLessThan(Duration.ofSeconds(5).toNanos());
            for (int i = 0; i < 100; i++)
            {
                sink.onMessage("ping-" + i);
                assertThat(source.read(collector(read), 16)).isEqualTo(1);
            }
            assertThat(read).hasSize(100).startsWith("ping-0").endsWith("ping-99");
        }
        assertThatThrownBy(() -> provider.source(EndpointUri.parse("chronicle:" + dir + "?wait=spinning")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("wait='spinning' is not busy-spin, yielding, sleeping or blocking");
    }

    @Test
    @Timeout(60)
    void shouldHandOverWhatIsAvailableWithoutWaitingAndZeroWhenEmpty() throws Exception
    {
        final Path dir = temp.resolve("available");
        final ChronicleSink<String> sink = ChronicleSink.builder(dir, Codecs.utf8()).build();
        final ChronicleSource<String> source = ChronicleSource.builder(dir, Codecs.utf8())
            .waitStrategy(WaitStrategy.BLOCKING).build();
        try (sink)
        {
            final List<String> read = new ArrayList<>();
            long fastest = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++)
            {
                final long start = System.nanoTime();
                assertThat(source.readAvailable(collector(read), 16)).isZero();
                fastest = Math.min(fastest, System.nanoTime() - start);
            }
            assertThat(fastest).as("an empty readAvailable does not wait")
                .isLessThan(ChronicleSource.IDLE_WAIT_NANOS / 5);
            sink.onMessage("a");
            sink.onMessage("b");
            sink.onMessage("c");
            assertThat(source.readAvailable(collector(read), 2)).isEqualTo(2);
            assertThat(source.readAvailable(collector(read), 16)).isEqualTo(1);
            assertThat(source.readAvailable(collector(read), 16)).isZero();
            assertThat(read).containsExactly("a", "b", "c");
            assertThat(source.backlog()).isZero();
        }
        finally
        {
            source.close();
        }
        assertThat(source.readAvailable(collector(new ArrayList<>()), 16)).isEqualTo(Source.END_OF_STREAM);
    }

    static <T> List<T> readAll(final ChronicleSource<T> source, final int expected) throws Exception
    {
        final List<T> read = new ArrayList<>();
        final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (read.size() < expected && System.nanoTime() < deadline)
        {
            source.read(collector(read), expected - read.size());
        }
        return read;
    }

    private static <T> MessageHandler<T> collector(final List<T> into)
    {
        return into::add;
    }

    private static String permissions(final Path file)
    {
        try
        {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** UTF-8 that fails on one message after writing part of it. */
    private static final class FailingOn implements Codec<String>
    {
        private final String bad;

        FailingOn(final String bad)
        {
            this.bad = bad;
        }

        @Override
        public String name()
        {
            return "utf8";
        }

        @Override
        public int encode(final String message, final MutableDirectBuffer buffer, final int offset)
        {
            final int length = Codecs.utf8().encode(message, buffer, offset);
            if (message.equals(bad))
            {
                throw new CodecException("refusing " + message);
            }
            return length;
        }

        @Override
        public String decode(final DirectBuffer buffer, final int offset, final int length)
        {
            return Codecs.utf8().decode(buffer, offset, length);
        }
    }
}
