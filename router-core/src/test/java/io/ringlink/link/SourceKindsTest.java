package io.ringlink.link;

import org.junit.jupiter.api.Nested;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The source contract run against every kind {@code link()} accepts as a source. The stdin source runs in a child JVM:
 * {@code StdioLinkTest}; more FIFO cases in {@code FifoLinkTest}.
 */
class SourceKindsTest
{
    static String text(final List<String> lines)
    {
        return String.join("\n", lines) + "\n";
    }

    static byte[] utf8(final List<String> lines)
    {
        return text(lines).getBytes(StandardCharsets.UTF_8);
    }

    @Nested
    class BlockingQueueSource extends SourceContractTest
    {
        @Override
        protected Object source(final Path dir, final List<String> lines)
        {
            return new LinkedBlockingQueue<>(lines);
        }

        @Override
        protected boolean finite()
        {
            return false;
        }
    }

    @Nested
    class InputStreamSource extends SourceContractTest
    {
        @Override
        protected Object source(final Path dir, final List<String> lines)
        {
            return new ByteArrayInputStream(utf8(lines));
        }
    }

    @Nested
    class ReaderSource extends SourceContractTest
    {
        @Override
        protected Object source(final Path dir, final List<String> lines)
        {
            return new StringReader(String.join("\r\n", lines));
        }
    }

    @Nested
    class PathSource extends SourceContractTest
    {
        @Override
        protected Object source(final Path dir, final List<String> lines) throws Exception
        {
            return Files.write(dir.resolve("in.txt"), utf8(lines));
        }
    }

    @Nested
    class FileSource extends SourceContractTest
    {
        @Override
        protected Object source(final Path dir, final List<String> lines) throws Exception
        {
            return Files.write(dir.resolve("in.txt"), utf8(lines)).toFile();
        }
    }

    @Nested
    class FileUriSource extends SourceContractTest
    {
        @Override
        protected Object source(final Path dir, final List<String> lines) throws Exception
        {
            return "file:" + Files.write(dir.resolve("in.txt"), utf8(lines));
        }
    }

    @Nested
    class ProcessSource extends SourceContractTest
    {
        @Override
        protected Object source(final Path dir, final List<String> lines) throws Exception
        {
            final Path file = Files.write(dir.resolve("in.txt"), utf8(lines));
            return new ProcessBuilder("cat", file.toString()).start();
        }
    }

    @Nested
    class ChannelSource extends SourceContractTest
    {
        @Override
        protected Object source(final Path dir, final List<String> lines) throws Exception
        {
            final Pipe pipe = Pipe.open();
            final ByteBuffer bytes = ByteBuffer.wrap(utf8(lines));
            while (bytes.hasRemaining())
            {
                pipe.sink().write(bytes);
            }
            pipe.sink().close();
            return pipe.source();
        }
    }

    @Nested
    class FifoSource extends SourceContractTest
    {
        @Override
        protected Object source(final Path dir, final List<String> lines) throws Exception
        {
            final Path file = Files.write(dir.resolve("in.txt"), utf8(lines));
            final Path fifo = mkfifo(dir.resolve("fifo"));
            new ProcessBuilder("sh", "-c", "cat '" + file + "' > '" + fifo + "'").start();
            return "fifo:" + fifo;
        }
    }

    static Path mkfifo(final Path path) throws Exception
    {
        if (new ProcessBuilder("mkfifo", path.toString()).start().waitFor() != 0)
        {
            throw new IllegalStateException("mkfifo " + path + " failed");
        }
        return path;
    }
}
