package io.ringlink.internal;

import io.ringlink.Link;
import io.ringlink.Linker;
import io.ringlink.MessageHandler;
import io.ringlink.RingLink;
import io.ringlink.Source;
import io.ringlink.WaitStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Lines between byte endpoints ({@code lines=raw}) are carried byte for byte, whatever the bytes; decoded lines count
 * the bytes they do not carry as they were.
 */
@Timeout(60)
class RawLinesTest
{
    @TempDir
    Path dir;

    private static Linker linker()
    {
        return RingLink.linker().waitStrategy(WaitStrategy.BLOCKING).ringSize(1024).stopTimeout(Duration.ofSeconds(5));
    }

    @Test
    void shouldCarryInvalidUtf8AndCarriageReturnsByteForByteToTwoFiles() throws Exception
    {
        final byte[] input = awkwardBytes(3 << 20);
        final Path in = dir.resolve("in.bin");
        Files.write(in, input);
        final Path first = dir.resolve("first.bin");
        final Path second = dir.resolve("second.bin");
        try (Link link = linker().link("file:" + in + "?lines=raw", new Object[] {first, "file:" + second}))
        {
            assertThat(link.awaitCompletion(Duration.ofSeconds(30))).isTrue();
            assertThat(link.failure()).isEmpty();
        }
        assertThat(Files.readAllBytes(first)).isEqualTo(input);
        assertThat(Files.readAllBytes(second)).isEqualTo(input);
    }

    @Test
    void shouldReuseItsBuffersOnlyOnceEverySinkHasThemAndCountEveryLine() throws Exception
    {
        // Far more reads than buffers, into a slow sink: a buffer reused too early would show as wrong bytes.
        final StringBuilder text = new StringBuilder();
        long lines = 0;
        for (int i = 0; text.length() < 4 << 20; i++)
        {
            text.append("line ").append(i).append(" ").append("x".repeat(i % 150)).append(i % 7 == 0 ? "\r\n" : "\n");
            lines++;
        }
        text.append("no line end");
        lines++;
        final byte[] input = text.toString().getBytes(StandardCharsets.UTF_8);
        final Path in = dir.resolve("in.txt");
        Files.write(in, input);
        final ByteArrayOutputStream copy = new ByteArrayOutputStream();
        final AtomicLong counted = new AtomicLong();
        final Consumer<Object> slow = (message) ->
        {
            final RawLines raw = (RawLines)message;
            copy.write(raw.bytes(), 0, raw.length());
            counted.addAndGet(raw.lines());
            Thread.onSpinWait();
        };
        final Path out = dir.resolve("out.txt");
        try (Link link = linker().link("file:" + in + "?lines=raw&chunk=4k", new Object[] {slow, out}))
        {
            assertThat(link.awaitCompletion(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(copy.toByteArray()).isEqualTo(input);
        assertThat(Files.readAllBytes(out)).isEqualTo(input);
        assertThat(counted.get()).isEqualTo(lines);
    }

    @Test
    void shouldHandEachReadOfAByteSourceWholeFromAPoolThatStopsTheReadsWhileASinkHoldsThem() throws Exception
    {
        // codec=bytes with lines=raw: chunks in reused buffers. A byte[] per chunk would fill the ring of 1,024
        // slots (here 4 MiB; 1 GiB for the command's 16,384 slots of 64 KiB) while a sink is slow.
        final byte[] input = new byte[4 << 20];
        new Random(11).nextBytes(input);
        final Path in = dir.resolve("in.bin");
        Files.write(in, input);
        final CountDownLatch release = new CountDownLatch(1);
        final ByteArrayOutputStream copy = new ByteArrayOutputStream();
        final AtomicLong chunks = new AtomicLong();
        final AtomicLong pooled = new AtomicLong();
        final Consumer<Object> held = (message) ->
        {
            if (message instanceof RawLines chunk)
            {
                pooled.addAndGet(chunk.lines());
                assertThat(chunk.length()).isBetween(1, 4096);
                copy.write(chunk.bytes(), 0, chunk.length());
            }
            else
            {
                copy.writeBytes((byte[])message);
            }
            chunks.incrementAndGet();
            try
            {
                release.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        };
        final Path out = dir.resolve("out.bin");
        try (Link link = linker().link("file:" + in + "?codec=bytes&lines=raw&chunk=4k", new Object[] {held, out}))
        {
            final Supplier<Long> published = () -> link.metrics().sources().get(0).published();
            await().atMost(Duration.ofSeconds(10)).until(() -> published.get() > 0);
            // The held sink has one buffer, the ring the others: the reads stop at the pool's size.
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10))
                .until(() -> published.get() <= RawLineReader.POOL);
            release.countDown();
            assertThat(link.awaitCompletion(Duration.ofSeconds(30))).isTrue();
            assertThat(link.failure()).isEmpty();
        }
        finally
        {
            release.countDown();
        }
        assertThat(copy.toByteArray()).isEqualTo(input);
        assertThat(Files.readAllBytes(out)).isEqualTo(input);
        assertThat(chunks.get()).isEqualTo(input.length / 4096);
        assertThat(pooled.get()).as("chunks in pooled buffers, one message each").isEqualTo(chunks.get());
    }

    @Test
    void shouldCountTheBytesDecodedLinesDoNotCarryAsTheyWere() throws Exception
    {
        final ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.write("ok\n".getBytes(StandardCharsets.US_ASCII));
        input.write(new byte[] {'a', (byte)0xFF, (byte)0xFE, 'b', '\r', '\n'});
        input.write("last, without its end".getBytes(StandardCharsets.US_ASCII));
        final Path in = dir.resolve("in.txt");
        Files.write(in, input.toByteArray());
        final BlockingQueue<Object> out = new LinkedBlockingQueue<>();
        final Source<Object> source = Endpoints.source("file:" + in);
        try (Link link = linker().link(source, out))
        {
            assertThat(link.awaitCompletion(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(List.copyOf(out)).containsExactly("ok", "a\uFFFD\uFFFDb", "last, without its end");
        // Two malformed bytes, the CR of the CR LF, the line end a text destination adds to the last line.
        assertThat(((ChangedBytes)source).changedBytes()).isEqualTo(4);
    }

    @Test
    void shouldFindAndCountLineEndsAndTellAsciiEightBytesAtATime()
    {
        final Random random = new Random(7);
        for (int round = 0; round < 2000; round++)
        {
            final byte[] bytes = new byte[random.nextInt(100)];
            random.nextBytes(bytes);
            if (round % 2 == 0)
            {
                // mostly ASCII, with now and then one other byte somewhere
                for (int i = 0; i < bytes.length; i++)
                {
                    bytes[i] &= 0x7F;
                }
                if (bytes.length > 0 && random.nextBoolean())
                {
                    bytes[random.nextInt(bytes.length)] = (byte)0xC3;
                }
            }
            for (int i = 0; i < bytes.length; i++)
            {
                if (random.nextInt(4) == 0)
                {
                    bytes[i] = '\n';
                }
            }
            final int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            int expected = 0;
            for (int i = from; i < bytes.length; i++)
            {
                expected += bytes[i] == '\n' ? 1 : 0;
            }
            final int[] allEnds = new int[expected + 1];
            final int[] someEnds = new int[1 + random.nextInt(4)];
            int atEnd = 0;
            for (int i = from; i < bytes.length; i++)
            {
                if (bytes[i] == '\n')
                {
                    allEnds[atEnd++] = i;
                }
            }
            boolean ascii = true;
            for (int i = from; i < bytes.length; i++)
            {
                ascii &= bytes[i] >= 0;
            }
            final int[] ends = new int[expected + 1];
            final int whole = LineCounter.scan(bytes, from, bytes.length, ends, 0);
            assertThat(whole).isEqualTo(ascii ? expected : ~expected);
            assertThat(Arrays.copyOf(ends, expected)).containsExactly(Arrays.copyOf(allEnds, expected));
            final int filled = LineCounter.scan(bytes, from, bytes.length, someEnds, 0);
            final int some = filled < 0 ? ~filled : filled;
            assertThat(some).isEqualTo(Math.min(expected, someEnds.length));
            assertThat(Arrays.copyOf(someEnds, some)).containsExactly(Arrays.copyOf(allEnds, some));
            final int[] scanned = new int[expected + 3];
            assertThat(LineCounter.scan(bytes, from, bytes.length, scanned, 2)).isEqualTo(ascii ? expected + 2 :
                ~(expected + 2));
            assertThat(Arrays.copyOfRange(scanned, 2, expected + 2)).containsExactly(Arrays.copyOf(allEnds, expected));
            final RawLines lines = RawLines.allocate(bytes.length);
            System.arraycopy(bytes, 0, lines.bytes(), 0, bytes.length);
            final boolean last = random.nextBoolean();
            lines.setLines(bytes.length, last);
            final boolean open = bytes.length > 0 && bytes[bytes.length - 1] != '\n';
            int all = expected;
            for (int i = 0; i < from; i++)
            {
                all += bytes[i] == '\n' ? 1 : 0;
            }
            assertThat(lines.lines()).isEqualTo(all + (last && open ? 1 : 0));
            assertThat(lines.lineEnds()).isEqualTo(all);
            final byte[] text = new byte[bytes.length];
            for (int i = 0; i < text.length; i++)
            {
                text[i] = (byte)(bytes[i] & 0x7F);
            }
            assertThat(LineCounter.scan(text, 0, text.length, new int[text.length + 1], 0)).isNotNegative();
        }
    }

    @Test
    void shouldFindEveryLineEndOfAReadOfMoreLinesThanItFirstMakesRoomFor()
    {
        // 64 KiB of empty lines, then the same with one byte of 0x80 or more far after the first 1,024 line ends.
        final RawLines lines = RawLines.allocate(64 * 1024);
        final byte[] bytes = lines.bytes();
        Arrays.fill(bytes, (byte)'\n');
        lines.setLines(bytes.length, true);
        assertThat(lines.lines()).isEqualTo(bytes.length);
        assertThat(lines.isAscii()).isTrue();
        for (int i = 0; i < bytes.length; i++)
        {
            assertThat(lines.ends()[i]).isEqualTo(i);
        }
        bytes[50_001] = (byte)0xE2;
        lines.set(bytes.length, 1);
        assertThat(lines.lineEnds()).as("looked at again after set").isEqualTo(bytes.length - 1);
        assertThat(lines.isAscii()).isFalse();
        assertThat(lines.ends()[50_000]).isEqualTo(50_000);
        assertThat(lines.ends()[50_001]).isEqualTo(50_002);
    }

    @Test
    void shouldNeverReuseABufferNobodySaidWasPassedWhenReportsDoNotCome()
    {
        // A source whose router never reports (wrapped by a source that does not pass reports on): once its pool
        // has been full for a second it reads into new buffers, and must never read into one still handed out.
        final RawLineReader reader = new RawLineReader(16, true);
        final List<RawLines> handed = new ArrayList<>();
        final MessageHandler<Object> keep = (message) -> handed.add((RawLines)message);
        for (int i = 0; i < 3 * RawLineReader.POOL; i++)
        {
            final int read = i;
            final ByteBuffer buffer = await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(5))
                .until(() -> reader.buffer(false), (b) -> b != null);
            buffer.put((byte)read);
            assertThat(reader.handOver(keep, false)).isEqualTo(1);
        }
        for (int i = 0; i < handed.size(); i++)
        {
            assertThat(handed.get(i).bytes()[0]).as("read %d, still handed out", i).isEqualTo((byte)i);
        }
        assertThat(handed).doesNotHaveDuplicates();
    }

    /** Random bytes (much of it invalid UTF-8) cut into lines by LF, CR LF and lone CR. */
    static byte[] awkwardBytes(final int size)
    {
        final Random random = new Random(42);
        final byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        for (int i = 0; i < size; i += 1 + random.nextInt(200))
        {
            bytes[i] = '\n';
            if (i > 0 && random.nextBoolean())
            {
                bytes[i - 1] = '\r';
            }
        }
        return bytes;
    }
}
