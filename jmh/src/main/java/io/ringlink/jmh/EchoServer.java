package io.ringlink.jmh;

import io.ringlink.Link;
import io.ringlink.RingLink;
import io.ringlink.WaitStrategy;
import io.ringlink.offheap.ChronicleSink;
import io.ringlink.offheap.ChronicleSource;
import io.ringlink.offheap.Codecs;
import io.ringlink.offheap.IpcRing;
import io.ringlink.offheap.IpcRingSink;
import io.ringlink.offheap.IpcRingSource;
import io.ringlink.offheap.RecordHandler;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The echo side of {@link IpcRoundTripBenchmark}, run in a second JVM by {@link EchoProcess}: sends every message it
 * receives straight back, busy-spinning on one thread (the benchmark thread is the only other spinning thread).
 * Prints {@code READY} (and, for TCP, the port) once set up; exits when its standard input closes.
 * <p>
 * Usage: {@code EchoServer agrona|chronicle|ipc|ipc-link|pipe|chronicle-link|aeron-(link|raw)-(ipc|udp) DIRECTORY} or
 * {@code EchoServer tcp blocking|busyPoll}.
 */
public final class EchoServer
{
    private EchoServer()
    {
    }

    /**
     * Runs the echo loop until the parent goes away.
     *
     * @param args the transport, then its directory or TCP mode.
     * @throws IOException if the transport could not be set up.
     */
    public static void main(final String[] args) throws IOException
    {
        if (args.length != 2)
        {
            throw new IllegalArgumentException("usage: EchoServer agrona|chronicle|ipc|ipc-link|pipe|chronicle-link " +
                "DIRECTORY | tcp blocking|busyPoll");
        }
        exitWhenParentGoes();
        switch (args[0])
        {
            case "agrona" -> agrona(Path.of(args[1]));
            case "chronicle" -> chronicle(Path.of(args[1]));
            case "ipc" -> ipc(Path.of(args[1]));
            case "ipc-link" -> ipcRouterLink(Path.of(args[1]));
            case "pipe" -> SharedPipeEndpoints.echo(Path.of(args[1]));
            case "chronicle-link" -> chronicleLink(Path.of(args[1]));
            case "tcp" -> tcp("busyPoll".equals(args[1]));
            case "aeron-link-ipc", "aeron-link-udp", "aeron-raw-ipc", "aeron-raw-udp" ->
                AeronEndpoints.echo(args[0], Path.of(args[1]));
            default -> throw new IllegalArgumentException("unknown transport " + args[0]);
        }
    }

    /** Halts this JVM when its standard input closes (the parent ended it or died); for every child main here. */
    static void exitWhenParentGoes()
    {
        final Thread watcher = new Thread(() ->
        {
            try
            {
                while (System.in.read() >= 0)
                {
                    Thread.onSpinWait();
                }
            }
            catch (final IOException ignore)
            {
                // the parent is gone either way
            }
            Runtime.getRuntime().halt(0);
        }, "echo-parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Tells the parent ({@link EchoProcess}) that this child is set up. */
    static void ready(final String argument)
    {
        System.out.println("READY " + argument);
        System.out.flush();
    }

    private static void agrona(final Path directory) throws IOException
    {
        final OneToOneRingBuffer ping =
            new OneToOneRingBuffer(new UnsafeBuffer(SharedFiles.mapExisting(directory.resolve(AgronaRings.PING))));
        final OneToOneRingBuffer pong =
            new OneToOneRingBuffer(new UnsafeBuffer(SharedFiles.mapExisting(directory.resolve(AgronaRings.PONG))));
        final MessageHandler echo = (type, buffer, index, length) ->
        {
            while (!pong.write(type, buffer, index, length))
            {
                Thread.onSpinWait();
            }
        };
        ready("");
        while (true)
        {
            if (ping.read(echo) == 0)
            {
                Thread.onSpinWait();
            }
        }
    }

    private static void ipc(final Path directory) throws IOException
    {
        try (IpcRingSource<byte[]> ping = IpcRingSource.of(
                IpcRing.open(directory.resolve(IpcEndpoints.PING), IpcEndpoints.CODEC), Codecs.bytes(),
                WaitStrategy.BUSY_SPIN);
            IpcRingSink<byte[]> pong = IpcRingSink.of(
                IpcRing.open(directory.resolve(IpcEndpoints.PONG), IpcEndpoints.CODEC), Codecs.bytes(),
                WaitStrategy.BUSY_SPIN))
        {
            final RecordHandler echo = (buffer, offset, length) ->
            {
                while (!pong.offer(buffer, offset, length))
                {
                    Thread.onSpinWait();
                }
            };
            ready("");
            while (true)
            {
                if (ping.read(echo, 16) == 0)
                {
                    Thread.onSpinWait();
                }
            }
        }
    }

    /**
     * The echo as a user would write it: {@code RingLink.link("ipc:ping", "ipc:pong")}, a router whose pump reads
     * the ping ring and whose delivery writes the pong ring, both yielding (two more waiting threads than cores
     * would allow spinning).
     */
    private static void ipcRouterLink(final Path directory)
    {
        final String query = "?codec=" + IpcEndpoints.CODEC + "&wait=yielding";
        final String ping = "ipc:" + directory.resolve(IpcEndpoints.PING) + query;
        final String pong = "ipc:" + directory.resolve(IpcEndpoints.PONG) + query;
        try (Link link = RingLink.linker().name("echo").waitStrategy(WaitStrategy.YIELDING).link(ping, pong))
        {
            ready(link.toString());
            while (link.failure().isEmpty())
            {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
            throw new IllegalStateException("the echo link failed", link.failure().get());
        }
    }

    private static void chronicleLink(final Path directory) throws IOException
    {
        try (ChronicleSource<byte[]> ping =
                ChronicleSource.builder(directory.resolve(ChronicleEndpoints.PING), Codecs.bytes()).fromStart().build();
            ChronicleSink<byte[]> pong =
                ChronicleSink.builder(directory.resolve(ChronicleEndpoints.PONG), Codecs.bytes()).build())
        {
            final RecordHandler echo = pong::append;
            ready("");
            while (true)
            {
                if (ping.read(echo, 16) == 0)
                {
                    Thread.onSpinWait();
                }
            }
        }
    }

    private static void chronicle(final Path directory)
    {
        try (ChronicleQueue ping = ChronicleQueue.singleBuilder(directory.resolve(ChronicleQueues.PING)).build();
            ChronicleQueue pong = ChronicleQueue.singleBuilder(directory.resolve(ChronicleQueues.PONG)).build();
            ExcerptTailer tailer = ping.createTailer();
            ExcerptAppender appender = pong.createAppender())
        {
            ready("");
            while (true)
            {
                try (DocumentContext in = tailer.readingDocument())
                {
                    if (!in.isPresent())
                    {
                        Thread.onSpinWait();
                        continue;
                    }
                    final Bytes<?> bytes = in.wire().bytes();
                    try (DocumentContext out = appender.writingDocument())
                    {
                        final Bytes<?> reply = out.wire().bytes();
                        for (int i = 0; i < ChronicleQueues.LONGS; i++)
                        {
                            reply.writeLong(bytes.readLong());
                        }
                    }
                }
            }
        }
    }

    private static void tcp(final boolean busyPoll) throws IOException
    {
        try (ServerSocketChannel server = ServerSocketChannel.open())
        {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ready(Integer.toString(((InetSocketAddress)server.getLocalAddress()).getPort()));
            try (SocketChannel channel = server.accept())
            {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.configureBlocking(!busyPoll);
                final ByteBuffer buffer = ByteBuffer.allocateDirect(TcpLink.MESSAGE_LENGTH);
                while (true)
                {
                    buffer.clear();
                    if (!TcpLink.readFully(channel, buffer))
                    {
                        return;
                    }
                    buffer.flip();
                    TcpLink.writeFully(channel, buffer);
                }
            }
        }
    }
}
