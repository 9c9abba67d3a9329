package io.ringlink.jmh;

import org.agrona.IoUtil;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The raw Agrona peer, benchmark side: two {@link OneToOneRingBuffer}s on memory-mapped files, "ping" towards the
 * echo process and "pong" back. A round trip writes one message and spins until the echo comes back.
 */
final class AgronaRings implements RoundTripper
{
    static final String PING = "ping.ring";
    static final String PONG = "pong.ring";
    static final int MESSAGE_LENGTH = 32;
    private static final int CAPACITY = 64 * 1024;
    private static final int MESSAGE_TYPE = 1;

    private final MappedByteBuffer pingFile;
    private final MappedByteBuffer pongFile;
    private final OneToOneRingBuffer ping;
    private final OneToOneRingBuffer pong;
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
    private final MessageHandler receiver;
    private long received;

    AgronaRings(final Path directory) throws IOException
    {
        final int length = CAPACITY + RingBufferDescriptor.TRAILER_LENGTH;
        pingFile = SharedFiles.mapNew(directory.resolve(PING), length);
        pongFile = SharedFiles.mapNew(directory.resolve(PONG), length);
        ping = new OneToOneRingBuffer(new UnsafeBuffer(pingFile));
        pong = new OneToOneRingBuffer(new UnsafeBuffer(pongFile));
        receiver = (type, buffer, index, messageLength) -> received = buffer.getLong(index);
    }

    /**
     * Sends {@code sequence} and waits for its echo.
     *
     * @return the sequence that came back.
     */
    @Override
    public long roundTrip(final long sequence)
    {
        message.putLong(0, sequence);
        while (!ping.write(MESSAGE_TYPE, message, 0, MESSAGE_LENGTH))
        {
            Thread.onSpinWait();
        }
        while (pong.read(receiver, 1) == 0)
        {
            Thread.onSpinWait();
        }
        return received;
    }

    @Override
    public void close()
    {
        IoUtil.unmap(pingFile);
        IoUtil.unmap(pongFile);
    }
}
