package io.ringlink.jmh;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.ringlink.aeron.AeronSink;
import io.ringlink.aeron.AeronSource;
import io.ringlink.aeron.internal.AeronDrivers;
import io.ringlink.offheap.Codecs;
import io.ringlink.offheap.RecordHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Both sides of the {@code aeron:} round trips of {@link AeronRoundTripBenchmark}, over {@code aeron:ipc} (one driver,
 * embedded by the benchmark JVM; the echo JVM connects to it as an external driver) or UDP loopback (a driver per
 * JVM): {@link Link} through RingLink's {@code AeronSink}/{@code AeronSource} bytes path, {@link Raw} through Aeron's
 * own publication and subscription on the same channels with the same driver settings (shared threading, yielding,
 * 1 MiB terms). Ping is stream 1, pong stream 2; the UDP ports are written to a file the echo side reads.
 * <p>
 * Over {@code aeron:ipc} both sides spin: the data moves through the shared log buffer without the driver. Over UDP
 * every message also passes both drivers' threads, so four threads need the two cores each round trip: a spinning
 * side would hold its core for a whole scheduler slice (milliseconds) before a driver runs, and every round trip
 * would measure that. Both sides, raw and RingLink alike, therefore yield while they wait on UDP.
 */
final class AeronEndpoints
{
    static final int MESSAGE_LENGTH = 32;
    static final String IDLE = "yielding";
    private static final String PORTS = "aeron.ports";

    private AeronEndpoints()
    {
    }

    /** The benchmark side's ping and pong channels (or the echo side's, swapped), and driver directory. */
    record Channels(String ping, String pong, Path driver, boolean external)
    {
        static Channels benchmarkSide(final Path directory, final boolean ipc) throws IOException
        {
            if (ipc)
            {
                return new Channels("aeron:ipc", "aeron:ipc", directory.resolve("driver"), false);
            }
            final int pingPort = freePort();
            final int pongPort = freePort();
            Files.writeString(directory.resolve(PORTS), pingPort + " " + pongPort, StandardCharsets.US_ASCII);
            return new Channels(udp(pingPort), udp(pongPort), directory.resolve("driver"), false);
        }

        static Channels echoSide(final Path directory, final boolean ipc) throws IOException
        {
            if (ipc)
            {
                return new Channels("aeron:ipc", "aeron:ipc", directory.resolve("driver"), true);
            }
            final String[] ports = Files.readString(directory.resolve(PORTS), StandardCharsets.US_ASCII).split(" ");
            return new Channels(udp(Integer.parseInt(ports[0])), udp(Integer.parseInt(ports[1])),
                directory.resolve("echo-driver"), false);
        }

        private static String udp(final int port)
        {
            return "aeron:udp?endpoint=localhost:" + port;
        }

        private static int freePort() throws IOException
        {
            try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0))
            {
                return socket.getLocalPort();
            }
        }

        /** Whether the sides yield while they wait (UDP: the drivers' threads need the cores too). */
        boolean yielding()
        {
            return ping.startsWith("aeron:udp");
        }

        String uri(final String channel, final int stream)
        {
            return channel + (channel.contains("?") ? "|" : "?") + "stream=" + stream + "|codec=bytes|wait=" +
                (yielding() ? "yielding" : "busy-spin") + "|dir=" + driver + (external ? "|driver=external" : "");
        }
    }

    /** Sends one record and waits for one back: what both round trippers and both echo loops share. */
    abstract static class Side implements RoundTripper
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
        private final boolean yielding;
        long received;

        Side(final Channels channels)
        {
            this.yielding = channels.yielding();
        }

        abstract long offer(DirectBuffer buffer, int length);

        abstract int poll();

        @Override
        public long roundTrip(final long sequence)
        {
            message.putLong(0, sequence);
            send(message, MESSAGE_LENGTH);
            while (poll() == 0)
            {
                idle();
            }
            return received;
        }

        final void send(final DirectBuffer buffer, final int length)
        {
            long result;
            while ((result = offer(buffer, length)) < 0)
            {
                if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
                {
                    throw new IllegalStateException("publication: " + Publication.errorString(result));
                }
                idle();
            }
        }

        final void idle()
        {
            if (yielding)
            {
                Thread.yield();
            }
            else
            {
                Thread.onSpinWait();
            }
        }
    }

    /** RingLink's {@code aeron:} endpoints, bytes path. */
    static final class Link extends Side
    {
        private final AeronSink<byte[]> sink;
        private final AeronSource<byte[]> source;
        private final RecordHandler receiver = (buffer, offset, length) -> received = buffer.getLong(offset);

        Link(final Channels channels, final int sendStream, final int receiveStream) throws IOException
        {
            super(channels);
            System.setProperty(AeronDrivers.IDLE_PROP_NAME, IDLE);
            sink = AeronSink.open(channels.uri(sendStream == 1 ? channels.ping() : channels.pong(), sendStream),
                Codecs.bytes());
            source = AeronSource.open(channels.uri(receiveStream == 1 ? channels.ping() : channels.pong(),
                receiveStream), Codecs.bytes());
        }

        @Override
        long offer(final DirectBuffer buffer, final int length)
        {
            return sink.offer(buffer, 0, length);
        }

        @Override
        int poll()
        {
            try
            {
                return source.read(receiver, 1);
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        @Override
        public void close()
        {
            sink.close();
            source.close();
        }
    }

    /** Aeron's own publication and subscription, the same channels and driver settings. */
    static final class Raw extends Side
    {
        private final MediaDriver driver;
        private final Aeron aeron;
        private final ExclusivePublication publication;
        private final Subscription subscription;
        private final FragmentHandler receiver = (buffer, offset, length, header) ->
            received = buffer.getLong(offset);

        Raw(final Channels channels, final int sendStream, final int receiveStream)
        {
            super(channels);
            driver = channels.external() ? null : MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(channels.driver().toString())
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new YieldingIdleStrategy())
                .publicationTermBufferLength(AeronDrivers.TERM_LENGTH_DEFAULT)
                .ipcTermBufferLength(AeronDrivers.TERM_LENGTH_DEFAULT)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true));
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(channels.driver().toString()));
            publication = aeron.addExclusivePublication(sendStream == 1 ? channels.ping() : channels.pong(),
                sendStream);
            subscription = aeron.addSubscription(receiveStream == 1 ? channels.ping() : channels.pong(),
                receiveStream);
        }

        @Override
        long offer(final DirectBuffer buffer, final int length)
        {
            return publication.offer(buffer, 0, length);
        }

        @Override
        int poll()
        {
            return subscription.poll(receiver, 1);
        }

        @Override
        public void close()
        {
            publication.close();
            subscription.close();
            aeron.close();
            if (driver != null)
            {
                driver.close();
            }
        }
    }

    /**
     * The echo loop: every message received on ping goes back on pong, until the process is halted.
     *
     * @param transport {@code aeron-link-ipc}, {@code aeron-link-udp}, {@code aeron-raw-ipc} or
     *                  {@code aeron-raw-udp}.
     * @param directory the benchmark side's directory.
     * @throws IOException if the endpoints cannot be opened.
     */
    static void echo(final String transport, final Path directory) throws IOException
    {
        final Channels channels = Channels.echoSide(directory, transport.endsWith("ipc"));
        final Echo echo = transport.startsWith("aeron-link") ? new Echo(new Link(channels, 2, 1)) :
            new Echo(new Raw(channels, 2, 1));
        System.out.println("READY");
        System.out.flush();
        echo.run();
    }

    /** Bounces what one side receives back through it. */
    private static final class Echo
    {
        private final Side side;

        Echo(final Side side)
        {
            this.side = side;
        }

        void run()
        {
            long last = 0;
            while (true)
            {
                if (side.poll() > 0 && side.received != last)
                {
                    last = side.received;
                    side.message.putLong(0, last);
                    side.send(side.message, MESSAGE_LENGTH);
                }
                else
                {
                    side.idle();
                }
            }
        }
    }
}
