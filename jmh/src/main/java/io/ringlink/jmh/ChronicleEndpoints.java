package io.ringlink.jmh;

import io.ringlink.MessageHandler;
import io.ringlink.WaitStrategy;
import io.ringlink.offheap.ChronicleSink;
import io.ringlink.offheap.ChronicleSource;
import io.ringlink.offheap.Codecs;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * RingLink's {@code chronicle:} endpoints, benchmark side: a {@link ChronicleSink} appending to the "ping" queue and
 * a {@link ChronicleSource} tailing the "pong" queue (spinning: {@code BUSY_SPIN}, as the {@code ipc:} endpoints
 * here), with the {@code bytes} codec (a {@code byte[]} per message,
 * as a link hands it to the next endpoint). The echo process uses the same endpoints, so the difference to
 * {@link ChronicleQueues} is what RingLink adds to the raw queue.
 */
final class ChronicleEndpoints implements AutoCloseable
{
    static final String PING = "ping-link";
    static final String PONG = "pong-link";
    static final int MESSAGE_LENGTH = 32;

    private final ChronicleSink<byte[]> ping;
    private final ChronicleSource<byte[]> pong;
    private final byte[] message = new byte[MESSAGE_LENGTH];
    private final UnsafeBuffer messageView = new UnsafeBuffer(message);
    private final UnsafeBuffer receivedView = new UnsafeBuffer(new byte[0]);
    private final MessageHandler<byte[]> receiver;
    private long received;

    ChronicleEndpoints(final Path directory) throws IOException
    {
        ping = ChronicleSink.builder(directory.resolve(PING), Codecs.bytes()).build();
        pong = ChronicleSource.builder(directory.resolve(PONG), Codecs.bytes())
            .fromStart()
            .waitStrategy(WaitStrategy.BUSY_SPIN)
            .build();
        receiver = (bytes) ->
        {
            receivedView.wrap(bytes);
            received = receivedView.getLong(0);
        };
    }

    /**
     * Sends {@code sequence} (in 32 bytes) and waits for its echo.
     *
     * @return the sequence that came back.
     */
    long roundTrip(final long sequence)
    {
        messageView.putLong(0, sequence);
        ping.onMessage(message);
        while (pong.read(receiver, 1) == 0)
        {
            Thread.onSpinWait();
        }
        return received;
    }

    @Override
    public void close()
    {
        ping.close();
        pong.close();
    }
}
