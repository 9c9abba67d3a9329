package io.ringlink.offheap.chronicle;

import io.ringlink.Router;
import io.ringlink.Sink;
import io.ringlink.ThreadingMode;
import io.ringlink.WaitStrategy;
import io.ringlink.offheap.ChronicleSink;
import io.ringlink.offheap.ChronicleSource;
import io.ringlink.offheap.Codecs;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The child JVMs of the cross-process Chronicle tests. Messages are {@code "<seq>:<payload>"} with a payload derived
 * from the sequence number, so a reader can tell a message is whole and in order.
 */
public final class ChronicleMains
{
    private static final Duration IDLE_LIMIT = Duration.ofSeconds(60);

    private ChronicleMains()
    {
    }

    static String message(final long sequence)
    {
        return sequence + ":" + Long.toHexString(sequence * 0x9E3779B97F4A7C15L) + "-payload-" + (sequence % 97);
    }

    /** The sequence number of a message, or -1 if the message is not one that {@link #message(long)} wrote. */
    static long sequenceOf(final String message)
    {
        final int colon = message.indexOf(':');
        if (colon <= 0)
        {
            return -1;
        }
        try
        {
            final long sequence = Long.parseLong(message.substring(0, colon));
            return message.equals(message(sequence)) ? sequence : -1;
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
    }

    /**
     * Appends messages {@code from} to {@code from + count - 1}, printing {@code started} after the first thousand and
     * {@code done} at the end. With a fourth argument {@code half}, then opens one more document, writes half of it,
     * prints {@code half-written} and waits to be killed. With a fourth argument {@code gate=FILE}, prints
     * {@code paused} halfway and waits until FILE exists.
     */
    public static final class Producer
    {
        private Producer()
        {
        }

        public static void main(final String[] args) throws Exception
        {
            final Path dir = Path.of(args[0]);
            final long from = Long.parseLong(args[1]);
            final long count = Long.parseLong(args[2]);
            final String option = args.length > 3 ? args[3] : "";
            final Path gate = option.startsWith("gate=") ? Path.of(option.substring("gate=".length())) : null;
            final long start = System.nanoTime();
            try (ChronicleSink<String> sink = ChronicleSink.builder(dir, Codecs.utf8()).build())
            {
                for (long i = 0; i < count; i++)
                {
                    sink.onMessage(message(from + i));
                    if (i == 999)
                    {
                        System.out.println("started");
                        System.out.flush();
                    }
                    if (gate != null && i == count / 2)
                    {
                        System.out.println("paused");
                        System.out.flush();
                        while (!Files.exists(gate))
                        {
                            Thread.sleep(10);
                        }
                    }
                }
            }
            System.out.println("done " + count + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            System.out.flush();
            if (option.equals("half"))
            {
                writeHalfAndWait(dir, message(from + count));
            }
        }

        private static void writeHalfAndWait(final Path dir, final String next) throws InterruptedException
        {
            final SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).build();
            final ExcerptAppender appender = queue.createAppender();
            final DocumentContext document = appender.writingDocument();
            final byte[] bytes = next.getBytes(StandardCharsets.UTF_8);
            document.wire().bytes().write(bytes, 0, bytes.length / 2);
            System.out.println("half-written");
            System.out.flush();
            new CountDownLatch(1).await();
        }
    }

    /**
     * Appends messages from {@code from} on until killed, pacing itself (a pause of about a millisecond every 100
     * messages) so that a kill lands anywhere, mid-document included. Prints {@code writing} once the sink is open
     * and {@code acked <seq>} every 1000 messages, once that message's append returned. Arguments: dir, from.
     */
    public static final class ChaosWriter
    {
        private ChaosWriter()
        {
        }

        public static void main(final String[] args) throws Exception
        {
            final Path dir = Path.of(args[0]);
            final long from = Long.parseLong(args[1]);
            try (ChronicleSink<String> sink = ChronicleSink.builder(dir, Codecs.utf8()).build())
            {
                System.out.println("writing");
                System.out.flush();
                for (long sequence = from; ; sequence++)
                {
                    sink.onMessage(message(sequence));
                    if (sequence % 100 == 99)
                    {
                        LockSupport.parkNanos(1_000_000);
                    }
                    if (sequence % 1000 == 999)
                    {
                        System.out.println("acked " + sequence);
                        System.out.flush();
                    }
                }
            }
        }
    }

    /**
     * Reads a queue and checks that messages {@code 0..expected-1} arrive whole and in order; prints
     * {@code caught-up <count>} the first time nothing is left to read, {@code ok <count>} at the end and exits 0,
     * or prints what went wrong and exits 1. Arguments: dir, expected, start|end.
     */
    public static final class Consumer
    {
        private Consumer()
        {
        }

        public static void main(final String[] args) throws Exception
        {
            final Path dir = Path.of(args[0]);
            final long expected = Long.parseLong(args[1]);
            final ChronicleSource.Builder<String> builder = ChronicleSource.builder(dir, Codecs.utf8());
            if (args[2].equals("end"))
            {
                builder.fromEnd();
            }
            final long[] next = {0};
            final String[] error = {null};
            final long start = System.nanoTime();
            try (ChronicleSource<String> source = builder.build())
            {
                System.out.println("reading");
                System.out.flush();
                long lastProgress = System.nanoTime();
                boolean caughtUp = false;
                while (next[0] < expected && error[0] == null)
                {
                    final int read = source.read((message) ->
                    {
                        final long sequence = sequenceOf(message);
                        if (sequence != next[0] && error[0] == null)
                        {
                            error[0] = "expected " + next[0] + " but got '" + message + "'";
                        }
                        next[0]++;
                    }, 4096);
                    if (read > 0)
                    {
                        lastProgress = System.nanoTime();
                    }
                    else if (!caughtUp)
                    {
                        caughtUp = true;
                        System.out.println("caught-up " + next[0]);
                        System.out.flush();
                    }
                    else if (System.nanoTime() - lastProgress > IDLE_LIMIT.toNanos())
                    {
                        error[0] = "nothing new for " + IDLE_LIMIT + " after " + next[0];
                    }
                }
                if (error[0] == null && source.read((message) -> error[0] = "unexpected extra '" + message + "'",
                    1) > 0)
                {
                    next[0]++;
                }
            }
            System.out.println(error[0] == null ? "ok " + next[0] + " in " + (System.nanoTime() - start) / 1_000_000 +
                " ms" : "error " + error[0]);
            System.out.flush();
            System.exit(error[0] == null ? 0 : 1);
        }
    }

    /**
     * A named reader behind a router: writes each sequence number it receives as a line to a file (flushed per
     * batch), and ends once it received {@code last}. Arguments: dir, name, start|end, last, out file, pause millis
     * per thousand messages.
     */
    public static final class NamedConsumer
    {
        private NamedConsumer()
        {
        }

        public static void main(final String[] args) throws Exception
        {
            final Path dir = Path.of(args[0]);
            final ChronicleSource.Builder<String> builder = ChronicleSource.builder(dir, Codecs.utf8()).name(args[1]);
            if (args[2].equals("end"))
            {
                builder.fromEnd();
            }
            final long last = Long.parseLong(args[3]);
            final Path out = Path.of(args[4]);
            final long pauseMillis = Long.parseLong(args[5]);
            final CountDownLatch finished = new CountDownLatch(1);
            try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                Router<String> router = Router.builder().name("named").ringSize(1024)
                    .threading(args.length > 6 ? ThreadingMode.valueOf(args[6]) : ThreadingMode.DEDICATED)
                    .deliveryThreads(1).waitStrategy(WaitStrategy.BLOCKING).build())
            {
                router.write(new Sink<String>()
                {
                    private long received;

                    @Override
                    public void onMessage(final String message) throws Exception
                    {
                        final long sequence = sequenceOf(message);
                        writer.write(sequence < 0 ? "bad " + message : Long.toString(sequence));
                        writer.newLine();
                        if (pauseMillis > 0 && ++received % 1000 == 0)
                        {
                            Thread.sleep(pauseMillis);
                        }
                        if (sequence == last)
                        {
                            finished.countDown();
                        }
                    }

                    @Override
                    public void onEndOfBatch() throws IOException
                    {
                        writer.flush();
                    }
                });
                router.read(builder.build());
                System.out.println("reading");
                System.out.flush();
                if (!finished.await(120, TimeUnit.SECONDS))
                {
                    System.out.println("timed out");
                    System.exit(1);
                }
            }
            System.out.println("finished");
            System.out.flush();
        }
    }
}
