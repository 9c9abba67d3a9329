package io.ringlink.jmh;

import io.ringlink.WaitStrategy;
import io.ringlink.offheap.Codecs;
import io.ringlink.offheap.IpcRing;
import io.ringlink.offheap.IpcRingSink;
import io.ringlink.offheap.IpcRingSource;
import io.ringlink.offheap.RecordHandler;
import io.ringlink.offheap.RingKind;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * RingLink's {@code ipc:} endpoints, benchmark side: an {@link IpcRingSink} writing the "ping" ring file and an
 * {@link IpcRingSource} reading the "pong" one, on the bytes path (records written from and read in place in an
 * Agrona buffer, as a {@code bytes} codec link moves them, without decoding into a {@code byte[]}). The echo
 * process uses the same endpoints, so the difference to {@link AgronaRings} is what RingLink adds to the raw ring:
 * header and counters, the consumer role and its heartbeat, the close guard.
 */
final class IpcEndpoints implements RoundTripper
{
    static final String PING = "ping.ipc";
    static final String PONG = "pong.ipc";
    static final String CODEC = Codecs.bytes().name();
    static final int MESSAGE_LENGTH = 32;
    private static final int CAPACITY = 64 * 1024;

    private final IpcRingSink<byte[]> ping;
    private final IpcRingSource<byte[]> pong;
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
    private final RecordHandler receiver;
    private long received;

    IpcEndpoints(final Path directory) throws IOException
    {
        ping = IpcRingSink.of(create(directory.resolve(PING)), Codecs.bytes(), WaitStrategy.BUSY_SPIN);
        pong = IpcRingSource.of(create(directory.resolve(PONG)), Codecs.bytes(), WaitStrategy.BUSY_SPIN);
        receiver = (buffer, offset, length) -> received = buffer.getLong(offset);
    }

    private static IpcRing create(final Path file) throws IOException
    {
        return IpcRing.builder(file).kind(RingKind.ONE_TO_ONE).capacity(CAPACITY).codec(CODEC).create();
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
        while (!ping.offer(message, 0, MESSAGE_LENGTH))
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
    public void close() throws IOException
    {
        ping.close();
        pong.close();
    }
}
