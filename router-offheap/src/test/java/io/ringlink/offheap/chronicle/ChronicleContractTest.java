package io.ringlink.offheap.chronicle;

import io.ringlink.link.SinkContractTest;
import io.ringlink.link.SourceContractTest;
import io.ringlink.offheap.ChronicleSink;
import io.ringlink.offheap.ChronicleSource;
import io.ringlink.offheap.Codecs;
import org.junit.jupiter.api.Nested;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * router-core's source and sink contracts run against {@code chronicle:} URIs and the Chronicle endpoint objects: a
 * queue never ends by itself, so the source contract runs as an infinite kind.
 */
class ChronicleContractTest
{
    static Path write(final Path dir, final List<String> lines) throws Exception
    {
        final Path queue = dir.resolve("queue");
        try (ChronicleSink<String> sink = ChronicleSink.builder(queue, Codecs.utf8()).build())
        {
            lines.forEach(sink::onMessage);
        }
        return queue;
    }

    static List<String> read(final Path queue) throws Exception
    {
        final List<String> lines = new ArrayList<>();
        if (Files.isDirectory(queue))
        {
            try (ChronicleSource<String> source = ChronicleSource.builder(queue, Codecs.utf8()).build())
            {
                while (source.readAvailable(lines::add, 1024) > 0)
                {
                    continue;
                }
            }
        }
        return lines;
    }

    /** A source kind that never ends by itself. */
    abstract static class ChronicleSourceContract extends SourceContractTest
    {
        @Override
        protected boolean finite()
        {
            return false;
        }
    }

    @Nested
    class UriSource extends ChronicleSourceContract
    {
        @Override
        protected Object source(final Path dir, final List<String> lines) throws Exception
        {
            return "chronicle:" + write(dir, lines);
        }
    }

    @Nested
    class NamedUriSource extends ChronicleSourceContract
    {
        @Override
        protected Object source(final Path dir, final List<String> lines) throws Exception
        {
            return "chronicle:" + write(dir, lines) + "?name=contract&wait=yielding";
        }
    }

    @Nested
    class SourceObject extends ChronicleSourceContract
    {
        @Override
        protected Object source(final Path dir, final List<String> lines) throws Exception
        {
            return ChronicleSource.builder(write(dir, lines), Codecs.utf8()).build();
        }
    }

    @Nested
    class UriSink extends SinkContractTest
    {
        @Override
        protected Object sink(final Path dir)
        {
            return "chronicle:" + dir.resolve("queue");
        }

        @Override
        protected List<String> written() throws Exception
        {
            return read(dir.resolve("queue"));
        }
    }

    @Nested
    class SinkObject extends SinkContractTest
    {
        @Override
        protected Object sink(final Path dir) throws Exception
        {
            return ChronicleSink.builder(dir.resolve("queue"), Codecs.utf8()).build();
        }

        @Override
        protected List<String> written() throws Exception
        {
            return read(dir.resolve("queue"));
        }
    }
}
