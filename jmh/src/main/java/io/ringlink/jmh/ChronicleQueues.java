package io.ringlink.jmh;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * The raw Chronicle Queue peer, benchmark side: an appender on the "ping" queue towards the echo process and a
 * tailer on the "pong" queue back, each excerpt {@link #LONGS} longs written and read in place through a
 * {@link DocumentContext} (Chronicle's garbage-free way).
 */
final class ChronicleQueues implements RoundTripper
{
    static final String PING = "ping-queue";
    static final String PONG = "pong-queue";
    static final int LONGS = 4;

    private final ChronicleQueue ping;
    private final ChronicleQueue pong;
    private final ExcerptAppender appender;
    private final ExcerptTailer tailer;

    ChronicleQueues(final Path directory)
    {
        ping = ChronicleQueue.singleBuilder(directory.resolve(PING)).build();
        pong = ChronicleQueue.singleBuilder(directory.resolve(PONG)).build();
        appender = ping.createAppender();
        tailer = pong.createTailer();
    }

    /**
     * Appends {@code sequence} (and padding to 32 bytes) and waits for its echo.
     *
     * @return the sequence that came back.
     */
    @Override
    public long roundTrip(final long sequence)
    {
        try (DocumentContext out = appender.writingDocument())
        {
            final Bytes<?> bytes = out.wire().bytes();
            bytes.writeLong(sequence);
            for (int i = 1; i < LONGS; i++)
            {
                bytes.writeLong(0);
            }
        }
        while (true)
        {
            try (DocumentContext in = tailer.readingDocument())
            {
                if (in.isPresent())
                {
                    return in.wire().bytes().readLong();
                }
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public void close()
    {
        tailer.close();
        appender.close();
        ping.close();
        pong.close();
    }
}
