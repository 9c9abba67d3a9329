package io.ringlink.link;

import io.ringlink.Sink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The destination contract run against every kind {@code link()} accepts as a destination. Stdout runs in a child
 * JVM ({@code StdioLinkTest}); FIFOs in {@code FifoLinkTest}.
 */
class SinkKindsTest
{
    static List<String> lines(final String text)
    {
        final List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        lines.remove(lines.size() - 1);
        return lines;
    }

    static List<String> lines(final Path file) throws Exception
    {
        return Files.exists(file) ? lines(Files.readString(file, StandardCharsets.UTF_8)) : List.of();
    }

    @Nested
    class BlockingQueueSink extends SinkContractTest
    {
        final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();

        @Override
        protected Object sink(final Path dir)
        {
            return queue;
        }

        @Override
        protected List<String> written()
        {
            final List<String> lines = new ArrayList<>();
            queue.forEach((item) -> lines.add((String)item));
            return lines;
        }
    }

    @Nested
    class ConsumerSink extends SinkContractTest
    {
        final List<String> received = new CopyOnWriteArrayList<>();

        @Override
        protected Object sink(final Path dir)
        {
            final Consumer<String> consumer = received::add;
            return consumer;
        }

        @Override
        protected List<String> written()
        {
            return received;
        }
    }

    @Nested
    class PlainSink extends SinkContractTest
    {
        final List<String> received = new CopyOnWriteArrayList<>();

        @Override
        protected Object sink(final Path dir)
        {
            return new Sink<String>()
            {
                @Override
                public void onMessage(final String message)
                {
                    received.add(message);
                }
            };
        }

        @Override
        protected List<String> written()
        {
            return received;
        }
    }

    @Nested
    class OutputStreamSink extends SinkContractTest
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        @Override
        protected Object sink(final Path dir)
        {
            return out;
        }

        @Override
        protected List<String> written()
        {
            synchronized (out)
            {
                return lines(out.toString(StandardCharsets.UTF_8));
            }
        }
    }

    @Nested
    class WriterSink extends SinkContractTest
    {
        final StringWriter out = new StringWriter();

        @Override
        protected Object sink(final Path dir)
        {
            return out;
        }

        @Override
        protected List<String> written()
        {
            synchronized (out.getBuffer())
            {
                return lines(out.toString());
            }
        }
    }

    /** A destination that ends up in {@code out.txt}. */
    abstract static class FileBackedSink extends SinkContractTest
    {
        Path file;

        abstract Object endpoint(Path file) throws Exception;

        @Override
        protected Object sink(final Path dir) throws Exception
        {
            file = dir.resolve("out.txt");
            return endpoint(file);
        }

        @Override
        protected List<String> written() throws Exception
        {
            return lines(file);
        }
    }

    @Nested
    class PathSink extends FileBackedSink
    {
        @Override
        Object endpoint(final Path file)
        {
            return file;
        }
    }

    @Nested
    class FileSink extends FileBackedSink
    {
        @Override
        Object endpoint(final Path file)
        {
            return file.toFile();
        }
    }

    @Nested
    class FileUriSink extends FileBackedSink
    {
        @Override
        Object endpoint(final Path file)
        {
            return "file:" + file;
        }
    }

    @Nested
    class ChannelSink extends FileBackedSink
    {
        FileChannel channel;

        @Override
        Object endpoint(final Path file) throws Exception
        {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return channel;
        }

        @AfterEach
        void closeChannel() throws Exception
        {
            assertThat(channel.isOpen()).as("a channel the caller handed in stays open").isTrue();
            channel.close();
        }
    }

    @Nested
    class ProcessSink extends FileBackedSink
    {
        Process process;

        @Override
        Object endpoint(final Path file) throws Exception
        {
            process = new ProcessBuilder("sh", "-c", "cat > '" + file + "'").start();
            return process;
        }

        @AfterEach
        void awaitProcess() throws Exception
        {
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("cat ends once the link closes its stdin").isTrue();
        }
    }

    @Nested
    class FifoSink extends FileBackedSink
    {
        Process reader;

        @Override
        Object endpoint(final Path file) throws Exception
        {
            final Path fifo = SourceKindsTest.mkfifo(file.resolveSibling("fifo"));
            reader = new ProcessBuilder("sh", "-c", "cat '" + fifo + "' > '" + file + "'").start();
            return "fifo:" + fifo;
        }

        @AfterEach
        void awaitReader() throws Exception
        {
            assertThat(reader.waitFor(10, TimeUnit.SECONDS)).as("the reader sees the end").isTrue();
        }
    }
}
