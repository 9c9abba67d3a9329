package io.ringlink.offheap.chronicle;

import io.ringlink.Link;
import io.ringlink.RingLink;
import io.ringlink.WaitStrategy;
import io.ringlink.offheap.ChronicleSink;
import io.ringlink.offheap.ChronicleSource;
import io.ringlink.offheap.CodecException;
import io.ringlink.test.ChildJvm;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleReaderMain;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code codec=raw}: RingLink and Chronicle's own code and tools read each other's queues. Chronicle's side runs in a
 * child JVM with nothing of RingLink in its code path: raw appenders and tailers, and {@code ChronicleReaderMain}.
 */
@Timeout(120)
class ChronicleRawTest
{
    /** Longer than 31 bytes: Chronicle encodes it with a length prefix, not in the type byte. */
    private static final String LONG_TEXT = "a longer text document, " + "x".repeat(100) + " a😂";
    private static final byte[] BYTES = {1, 2, 3, 0, (byte)0xFF};
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void shouldWritePlainDocumentsThatChronicleCodeAndChronicleReaderMainRead() throws Exception
    {
        final Path dir = temp.resolve("q");
        try (ChronicleSink<Object> sink = ChronicleSink.rawBuilder(dir).build())
        {
            sink.onMessage("hello");
            sink.onMessage("a😂");
            sink.onMessage(LONG_TEXT);
            sink.onMessage(BYTES);
        }
        try (ChildJvm reader = ChildJvm.start(temp, RawChronicleReader.class, dir.toString()))
        {
            assertThat(reader.awaitExit(CHILD_TIMEOUT)).as(reader.output()).isZero();
            assertThat(Files.readString(temp.resolve("raw-read.txt"))).isEqualTo(
                "text:hello\ntext:a😂\ntext:" + LONG_TEXT + "\nbytes:" + HexFormat.of().formatHex(BYTES) + "\n");
        }
        final List<String> command = new ArrayList<>(ChildJvm.command(ChronicleReaderMain.class, "-d",
            dir.toString()));
        command.add(1, "-Dfile.encoding=UTF-8");
        command.add(2, "-Dstdout.encoding=UTF-8");
        final Process tool = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(temp.resolve("tool.txt").toFile()).start();
        try
        {
            assertThat(tool.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        finally
        {
            tool.destroyForcibly();
        }
        final String shown = Files.readString(temp.resolve("tool.txt"), StandardCharsets.UTF_8);
        // It prints each document as YAML: text as text, with characters outside ASCII escaped.
        assertThat(shown).as("ChronicleReaderMain shows the text documents as text").contains("\nhello\n")
            .contains("\"a\\uD83D\\uDE02\"").contains(LONG_TEXT.replace("😂", "\\uD83D\\uDE02"));
    }

    @Test
    void shouldReadDocumentsThatRawChronicleCodeWroteThroughTheBuilderAndTheUri() throws Exception
    {
        final Path dir = temp.resolve("q");
        try (ChildJvm writer = ChildJvm.start(temp, RawChronicleWriter.class, dir.toString()))
        {
            assertThat(writer.awaitExit(CHILD_TIMEOUT)).as(writer.output()).isZero();
        }
        try (ChronicleSource<Object> source = ChronicleSource.rawBuilder(dir).build())
        {
            final List<Object> read = ChronicleLinkTest.readAll(source, 4);
            assertThat(read).hasSize(4);
            assertThat(read.subList(0, 3)).containsExactly("hello", "a😂", LONG_TEXT);
            assertThat(read.get(3)).isEqualTo(BYTES);
        }
        final LinkedBlockingQueue<Object> out = new LinkedBlockingQueue<>();
        try (Link link = RingLink.linker().waitStrategy(WaitStrategy.BLOCKING)
            .link("chronicle:" + dir + "?codec=raw&name=raw", out))
        {
            await().atMost(Duration.ofSeconds(20)).until(() -> out.size() == 4);
            assertThat(link.failure()).isEmpty();
        }
        assertThat(new ArrayList<>(out).subList(0, 3)).containsExactly("hello", "a😂", LONG_TEXT);
    }

    @Test
    void shouldRoundTripRawDocumentsThroughUrisAndRefuseWhatIsNeitherTextNorBytes() throws Exception
    {
        final Path dir = temp.resolve("q");
        final LinkedBlockingQueue<Object> in = new LinkedBlockingQueue<>(List.of("one", BYTES, ""));
        final LinkedBlockingQueue<Object> out = new LinkedBlockingQueue<>();
        try (Link writing = RingLink.link(in, "chronicle:" + dir + "?codec=raw"))
        {
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.isDirectory(dir) && in.isEmpty());
            try (Link reading = RingLink.link("chronicle:" + dir + "?codec=raw", out))
            {
                await().atMost(Duration.ofSeconds(20)).until(() -> out.size() == 3);
                assertThat(writing.failure()).isEmpty();
                assertThat(reading.failure()).isEmpty();
            }
        }
        final List<Object> read = new ArrayList<>(out);
        assertThat(read.get(0)).isEqualTo("one");
        assertThat(read.get(1)).isEqualTo(BYTES);
        assertThat(read.get(2)).as("an empty text is one text value, not an empty document").isEqualTo("");

        try (ChronicleSink<Object> sink = ChronicleSink.rawBuilder(dir).build())
        {
            assertThatThrownBy(() -> sink.onMessage(42L)).isInstanceOf(CodecException.class)
                .hasMessageContaining("holds text or bytes, not a java.lang.Long");
            assertThatThrownBy(() -> sink.onMessage(new byte[0])).isInstanceOf(CodecException.class)
                .hasMessageContaining("needs at least one byte");
        }
        try (ChronicleSource<Object> source = ChronicleSource.rawBuilder(dir).build())
        {
            assertThat(ChronicleLinkTest.readAll(source, 4)).as("nothing appended by the refused ones").hasSize(3);
        }
    }

    /**
     * Chronicle's own code only: appends three text documents ({@code writeText}) and one bytes document
     * ({@code writeBytes}). Argument: dir.
     */
    public static final class RawChronicleWriter
    {
        private RawChronicleWriter()
        {
        }

        public static void main(final String[] args)
        {
            try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(Path.of(args[0])).build();
                ExcerptAppender appender = queue.createAppender())
            {
                appender.writeText("hello");
                appender.writeText("a😂");
                appender.writeText(LONG_TEXT);
                appender.writeBytes(Bytes.wrapForRead(BYTES));
            }
        }
    }

    /**
     * Chronicle's own code only: reads three text documents ({@code readText}) and one bytes document
     * ({@code readBytes}) and writes them to {@code raw-read.txt} beside the queue. Argument: dir.
     */
    public static final class RawChronicleReader
    {
        private RawChronicleReader()
        {
        }

        public static void main(final String[] args) throws Exception
        {
            final Path dir = Path.of(args[0]);
            final StringBuilder read = new StringBuilder();
            try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).build();
                ExcerptTailer tailer = queue.createTailer())
            {
                for (int i = 0; i < 3; i++)
                {
                    read.append("text:").append(tailer.readText()).append('\n');
                }
                final Bytes<?> bytes = Bytes.allocateElasticOnHeap();
                if (tailer.readBytes(bytes))
                {
                    read.append("bytes:").append(HexFormat.of().formatHex(bytes.toByteArray())).append('\n');
                }
                if (tailer.readText() != null)
                {
                    read.append("unexpected more\n");
                }
            }
            Files.writeString(dir.resolveSibling("raw-read.txt"), read.toString(), StandardCharsets.UTF_8);
        }
    }
}
