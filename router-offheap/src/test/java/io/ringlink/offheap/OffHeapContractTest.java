package io.ringlink.offheap;

import io.ringlink.WaitStrategy;
import io.ringlink.link.SinkContractTest;
import io.ringlink.link.SourceContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * router-core's source and sink contracts run against {@code ipc:} URIs (both ring kinds), the ring endpoint objects
 * and {@link SharedQueue}. None of them ends by itself, so the source contract runs as an infinite kind.
 */
class OffHeapContractTest
{
    static Path ring(final Path dir, final RingKind kind, final List<String> lines) throws Exception
    {
        final Path file = dir.resolve("ring");
        try (IpcRingSink<String> sink = IpcRingSink.of(IpcRing.builder(file).kind(kind).capacity(1 << 16)
            .codec("utf8").create(), Codecs.utf8(), WaitStrategy.BLOCKING))
        {
            for (final String line : lines)
            {
                sink.put(line);
            }
        }
        return file;
    }

    /** A source kind that never ends by itself. */
    abstract static class EndlessSourceContract extends SourceContractTest
    {
        @Override
        protected boolean finite()
        {
            return false;
        }
    }

    @Nested
    class OneToOneUriSource extends EndlessSourceContract
    {
        @Override
        protected Object source(final Path dir, final List<String> lines) throws Exception
        {
            return "ipc:" + ring(dir, RingKind.ONE_TO_ONE, lines) + "?codec=utf8";
        }
    }

    @Nested
    class ManyToOneUriSource extends EndlessSourceContract
    {
        @Override
        protected Object source(final Path dir, final List<String> lines) throws Exception
        {
            return "ipc:" + ring(dir, RingKind.MANY_TO_ONE, lines) + "?codec=utf8&wait=yielding";
        }
    }

    @Nested
    class SourceObject extends EndlessSourceContract
    {
        @Override
        protected Object source(final Path dir, final List<String> lines) throws Exception
        {
            return IpcRingSource.of(IpcRing.open(ring(dir, RingKind.ONE_TO_ONE, lines), "utf8"), Codecs.utf8(),
                WaitStrategy.BLOCKING);
        }
    }

    @Nested
    class SharedQueueSource extends EndlessSourceContract
    {
        @Override
        protected Object source(final Path dir, final List<String> lines) throws Exception
        {
            final SharedQueue<String> queue = SharedQueue.create(dir.resolve("queue"), 1 << 16, Codecs.utf8());
            for (final String line : lines)
            {
                queue.put(line);
            }
            return queue;
        }
    }

    /** Reads back what a sink wrote into a ring file, keeping one consumer for the whole test. */
    abstract static class RingSinkContract extends SinkContractTest
    {
        private final List<String> lines = new ArrayList<>();
        private IpcRing reader;

        Path file()
        {
            return dir.resolve("ring");
        }

        @Override
        protected List<String> written() throws Exception
        {
            if (reader == null && Files.exists(file()))
            {
                reader = IpcRing.open(file(), "utf8");
            }
            if (reader != null)
            {
                while (reader.read((buffer, offset, length) -> lines.add(Codecs.utf8().decode(buffer, offset,
                    length)), 100) > 0)
                {
                    continue;
                }
            }
            return lines;
        }

        @AfterEach
        void closeReader() throws Exception
        {
            if (reader != null)
            {
                reader.close();
            }
        }
    }

    @Nested
    class OneToOneUriSink extends RingSinkContract
    {
        @Override
        protected Object sink(final Path dir)
        {
            return "ipc:" + file() + "?codec=utf8&capacity=64k";
        }
    }

    @Nested
    class ManyToOneUriSink extends RingSinkContract
    {
        @Override
        protected Object sink(final Path dir)
        {
            return "ipc:" + file() + "?codec=utf8&kind=many-to-one&capacity=64k";
        }
    }

    @Nested
    class SinkObject extends RingSinkContract
    {
        @Override
        protected Object sink(final Path dir) throws Exception
        {
            return IpcRingSink.of(IpcRing.builder(file()).capacity(1 << 16).codec("utf8").create(), Codecs.utf8(),
                WaitStrategy.BLOCKING);
        }
    }

    @Nested
    class SharedQueueSink extends SinkContractTest
    {
        private final List<String> lines = new ArrayList<>();
        private SharedQueue<String> reader;

        @Override
        protected Object sink(final Path dir) throws Exception
        {
            return SharedQueue.create(dir.resolve("queue"), 1 << 16, Codecs.utf8());
        }

        @Override
        protected List<String> written() throws Exception
        {
            if (reader == null)
            {
                reader = SharedQueue.open(dir.resolve("queue"), Codecs.utf8());
            }
            for (String line = reader.poll(); line != null; line = reader.poll())
            {
                lines.add(line);
            }
            return lines;
        }

        @AfterEach
        void closeReader() throws Exception
        {
            if (reader != null)
            {
                reader.close();
            }
        }
    }
}
