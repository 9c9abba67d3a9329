package io.ringlink.jmh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The loopback TCP peer, benchmark side: one connection with {@code TCP_NODELAY}, {@link #MESSAGE_LENGTH}-byte
 * messages, either blocking reads (what most code does) or a non-blocking channel polled in a spin (the fastest TCP
 * can be made without kernel bypass).
 */
final class TcpLink implements AutoCloseable
{
    static final int MESSAGE_LENGTH = 32;

    private final SocketChannel channel;
    private final ByteBuffer message = ByteBuffer.allocateDirect(MESSAGE_LENGTH);

    TcpLink(final int port, final boolean busyPoll) throws IOException
    {
        channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(!busyPoll);
    }

    /**
     * Sends {@code sequence} and waits for its echo.
     *
     * @return the sequence that came back.
     * @throws IOException if the connection failed or the echo process closed it.
     */
    long roundTrip(final long sequence) throws IOException
    {
        message.clear();
        message.putLong(0, sequence);
        writeFully(channel, message);
        message.clear();
        if (!readFully(channel, message))
        {
            throw new IOException("the echo process closed the connection");
        }
        return message.getLong(0);
    }

    /** Reads until {@code buffer} is full, spinning when a non-blocking read finds nothing; false at end of stream. */
    static boolean readFully(final SocketChannel channel, final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            final int read = channel.read(buffer);
            if (read < 0)
            {
                return false;
            }
            if (read == 0)
            {
                Thread.onSpinWait();
            }
        }
        return true;
    }

    /** Writes all of {@code buffer}, spinning when a non-blocking write takes nothing. */
    static void writeFully(final SocketChannel channel, final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            if (channel.write(buffer) == 0)
            {
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
