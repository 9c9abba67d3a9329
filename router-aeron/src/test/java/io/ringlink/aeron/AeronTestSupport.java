package io.ringlink.aeron;

import io.ringlink.offheap.Codecs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Child JVM mains and checks shared by the {@code aeron:} tests.
 */
public final class AeronTestSupport
{
    private AeronTestSupport()
    {
    }

    /**
     * A UDP port that was free a moment ago.
     */
    static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Checks that longs arrive as 0, 1, 2, ... (or from a first value on), recording the first error.
     */
    static final class SequenceChecker implements Consumer<Object>
    {
        final AtomicLong next = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicReference<String> error = new AtomicReference<>();
        private volatile boolean started;
        private final boolean fromFirst;

        SequenceChecker(final boolean fromFirst)
        {
            this.fromFirst = fromFirst;
        }

        @Override
        public void accept(final Object message)
        {
            final long value = (Long)message;
            if (fromFirst && !started)
            {
                started = true;
                next.set(value);
            }
            final long expected = next.getAndIncrement();
            if (value != expected && error.get() == null)
            {
                error.set("expected " + expected + " but got " + value + " after " + received.get() + " messages");
            }
            received.incrementAndGet();
        }
    }

    /**
     * Publishes longs 0..count-1 through an {@code aeron:} sink (args: URI, count; count -1 for ever), then prints
     * "done".
     */
    public static final class Publisher
    {
        public static void main(final String[] args) throws Exception
        {
            final long count = Long.parseLong(args[1]);
            try (AeronSink<Long> sink = AeronSink.open(args[0], Codecs.longs()))
            {
                System.out.println("open");
                for (long i = 0; count < 0 || i < count; i++)
                {
                    sink.put(i);
                }
                System.out.println("sent " + count);
            }
            System.out.println("done");
        }
    }

    /**
     * Reads count longs from an {@code aeron:} source and checks their order (args: URI, count); prints
     * "ok COUNT" or "error ...".
     */
    public static final class Subscriber
    {
        public static void main(final String[] args) throws Exception
        {
            final long count = Long.parseLong(args[1]);
            final SequenceChecker checker = new SequenceChecker(false);
            try (AeronSource<Long> source = AeronSource.open(args[0], Codecs.longs()))
            {
                System.out.println("open");
                final long deadline = System.nanoTime() + 120_000_000_000L;
                while (checker.received.get() < count && System.nanoTime() - deadline < 0)
                {
                    source.read(checker::accept, 256);
                }
            }
            System.out.println(checker.error.get() == null ? "ok " + checker.received.get() : "error " +
                checker.error.get());
        }
    }
}
