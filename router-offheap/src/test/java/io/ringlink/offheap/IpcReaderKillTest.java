package io.ringlink.offheap;

import io.ringlink.Router;
import io.ringlink.Sink;
import io.ringlink.Source;
import io.ringlink.ThreadingMode;
import io.ringlink.WaitStrategy;
import io.ringlink.spi.EndpointUri;
import io.ringlink.test.ChildJvm;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11 item 4: an {@code ipc:} source in a router frees a ring record only once every sink has it, so a reader
 * JVM killed with {@code kill -9} loses nothing committed; what it can repeat is bounded.
 */
class IpcReaderKillTest
{
    static final int COUNT = 20_000;
    static final int ROUTER_RING = 1024;
    /** What a crash may repeat: the router's ring in flight plus one read batch of the pump (256). */
    static final int DUPLICATE_BOUND = ROUTER_RING + 256;

    @TempDir
    Path dir;

    /**
     * Reads an {@code ipc:} URI through a router into a slow sink that appends each long to a file before it
     * returns (what the sink "has"), until killed.
     */
    public static final class SlowRouterReader
    {
        public static void main(final String[] args) throws Exception
        {
            final Path out = Path.of(args[1]);
            try (FileChannel channel = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
                Router<Object> router = Router.builder().name("slow").ringSize(ROUTER_RING)
                    .threading(ThreadingMode.valueOf(args[2])).deliveryThreads(1)
                    .waitStrategy(WaitStrategy.BLOCKING).build())
            {
                final ByteBuffer value = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                final Sink<Object> slow = (message) ->
                {
                    value.clear();
                    value.putLong(0, (Long)message);
                    channel.write(value);
                    LockSupport.parkNanos(100_000);
                };
                final Source<?> source = IpcCrossProcessTest.ipcProvider().source(EndpointUri.parse(args[0]));
                router.read(source);
                router.write(slow);
                System.out.println("reading");
                System.out.flush();
                Thread.sleep(120_000);
            }
        }
    }

    static Stream<Arguments> kindsAndModes()
    {
        return Stream.of(RingKind.values()).flatMap((kind) ->
            Stream.of(ThreadingMode.values()).map((mode) -> Arguments.of(kind, mode)));
    }

    /** In {@code SHARED} the source runs on the one agent, with the sink: the same bounds hold. */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("kindsAndModes")
    @Timeout(120)
    void shouldGiveANewReaderEveryRecordTheKilledRoutersSinkDidNotGet(final RingKind kind, final ThreadingMode mode)
        throws Exception
    {
        final Path file = dir.resolve("ring-" + kind + "-" + mode);
        final Path delivered = dir.resolve("delivered-" + kind + "-" + mode + ".bin");
        try (IpcRingSink<Long> sink = IpcRingSink.of(IpcRing.builder(file).kind(kind).capacity(1 << 20)
            .codec("longs").create(), Codecs.longs(), WaitStrategy.BLOCKING))
        {
            for (long i = 0; i < COUNT; i++)
            {
                assertThat(sink.offer(i)).isTrue();
            }
        }
        final String uri = "ipc:" + file + "?codec=longs";
        try (ChildJvm reader = ChildJvm.start(dir, SlowRouterReader.class, uri, delivered.toString(),
            mode.name()))
        {
            await().atMost(Duration.ofSeconds(60)).until(() ->
                Files.exists(delivered) && Files.size(delivered) >= 2_000L * Long.BYTES || !reader.process().isAlive());
            assertThat(reader.process().isAlive()).as(reader.output()).isTrue();
            reader.kill();
        }
        final BitSet seen = new BitSet(COUNT);
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(delivered)).order(ByteOrder.LITTLE_ENDIAN);
        final int sunk = bytes.remaining() / Long.BYTES;
        for (int i = 0; i < sunk; i++)
        {
            seen.set((int)bytes.getLong(i * Long.BYTES));
        }
        final int[] again = new int[2];
        try (IpcRing ring = IpcRing.open(file, "longs"))
        {
            while (ring.read((buffer, offset, length) ->
            {
                final int value = (int)buffer.getLong(offset);
                again[seen.get(value) ? 1 : 0]++;
                seen.set(value);
            }, 1000) > 0)
            {
                continue;
            }
            assertThat(ring.size()).isZero();
        }
        assertThat(seen.cardinality()).as("records the sink got (%d) or the new reader got (%d new, %d again)",
            sunk, again[0], again[1]).isEqualTo(COUNT);
        assertThat(again[1]).as("records read again after the kill").isLessThanOrEqualTo(DUPLICATE_BOUND);
    }
}
