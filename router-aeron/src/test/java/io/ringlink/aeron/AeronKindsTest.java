package io.ringlink.aeron;

import io.ringlink.link.SinkContractTest;
import io.ringlink.link.SourceContractTest;
import io.ringlink.offheap.Codecs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * router-core's source and sink contracts run against {@code aeron:} URIs given to {@code RingLink.link}: UTF-8
 * lines (an empty one and emoji among them) in order, fan-out, completion.
 */
class AeronKindsTest
{
    @Nested
    class UdpSource extends SourceContractTest
    {
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private Thread publisher;

        @Override
        protected Object source(final Path dir, final List<String> lines)
        {
            final String uri = "aeron:udp?endpoint=localhost:" + AeronTestSupport.freeUdpPort() + "|stream=31|" +
                "connect-timeout=20s|dir=" + dir.resolve("d");
            publisher = new Thread(() ->
            {
                try (AeronSink<String> sink = AeronSink.open(uri, Codecs.utf8()))
                {
                    for (final String line : lines)
                    {
                        sink.put(line);
                    }
                }
                catch (final Exception ex)
                {
                    failure.set(ex);
                }
            }, "aeron-contract-publisher");
            publisher.start();
            return uri;
        }

        @Override
        protected boolean finite()
        {
            return false;
        }

        @AfterEach
        void joinPublisher() throws InterruptedException
        {
            publisher.join(30_000);
            assertThat(publisher.isAlive()).isFalse();
            assertThat(failure.get()).isNull();
        }
    }

    @Nested
    class IpcSink extends SinkContractTest
    {
        private final List<String> received = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private Thread reader;

        @Override
        protected Object sink(final Path dir) throws Exception
        {
            final String uri = "aeron:ipc?stream=32|dir=" + dir.resolve("d");
            final AeronSource<String> source = AeronSource.open(uri, Codecs.utf8());
            reader = new Thread(() ->
            {
                try (source)
                {
                    while (running.get())
                    {
                        source.read(received::add, 64);
                    }
                }
                catch (final Exception ex)
                {
                    failure.set(ex);
                }
            }, "aeron-contract-reader");
            reader.start();
            return uri;
        }

        @Override
        protected List<String> written()
        {
            return new ArrayList<>(received);
        }

        @AfterEach
        void joinReader() throws InterruptedException
        {
            running.set(false);
            reader.join(30_000);
            assertThat(reader.isAlive()).isFalse();
            assertThat(failure.get()).isNull();
        }
    }
}
