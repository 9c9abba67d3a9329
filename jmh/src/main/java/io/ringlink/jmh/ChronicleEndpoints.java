package io.ringlink.jmh;

import io.ringlink.offheap.ChronicleSink;
import io.ringlink.offheap.ChronicleSource;
import io.ringlink.offheap.Codecs;
import io.ringlink.offheap.RecordHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * RingLink's {@code chronicle:} endpoints, benchmark side: a {@link ChronicleSink} appending to the "ping" queue and
 * a {@link ChronicleSource} tailing the "pong" queue, on the bytes path as {@link IpcEndpoints} (records appended from
 * an Agrona buffer and read in place in the mapped file, without decoding into a {@code byte[]}), spinning as the
 * raw peer. The echo process uses the same endpoints, so the difference to {@link ChronicleQueues} is what RingLink
 * adds to the raw queue: the format byte and its check, the length check, the close guard, the retention hook.
 */
final class ChronicleEndpoints implements RoundTripper
{
    static final String PING = "ping-link";
    static final String PONG = "pong-link";
    static final int MESSAGE_LENGTH = 32;

    private final ChronicleSink<byte[]> ping;
    private final ChronicleSource<byte[]> pong;
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
    private final RecordHandler receiver;
    private long received;

    ChronicleEndpoints(final Path directory) throws IOException
    {
        ping = ChronicleSink.builder(directory.resolve(PING), Codecs.bytes()).build();
        // A reader opens only an existing queue: make the echo's queue before the echo process starts.
        ChronicleSink.builder(directory.resolve(PONG), Codecs.bytes()).build().close();
        pong = ChronicleSource.builder(directory.resolve(PONG), Codecs.bytes()).fromStart().build();
        receiver = (buffer, offset, length) -> received = buffer.getLong(offset);
    }

    /**
     * Sends {@code sequence} (in 32 bytes) and waits for its echo.
     *
     * @return the sequence that came back.
     */
    @Override
    public long roundTrip(final long sequence)
    {
        message.putLong(0, sequence);
        ping.append(message, 0, MESSAGE_LENGTH);
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
