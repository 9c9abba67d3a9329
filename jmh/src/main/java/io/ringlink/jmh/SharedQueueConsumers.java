package io.ringlink.jmh;

import io.ringlink.offheap.Codecs;
import io.ringlink.offheap.SharedQueue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The consumer side of {@link SharedQueueThroughputBenchmark}, run in a second JVM by {@link EchoProcess}: N threads,
 * each with its own {@link SharedQueue} object on the benchmark's queue file (as N consumer JVMs would have, so that
 * they take turns on the file's take lock rather than on one object's lock), each taking elements for ever and
 * calling {@link SharedQueue#taskDone()} for every element it took. Prints {@code READY} once every thread has opened
 * its queue; exits when its standard input closes. A thread that fails prints why and halts the JVM, so that the
 * benchmark's wait fails (it sees no progress) rather than measuring fewer consumers.
 * <p>
 * Usage: {@code SharedQueueConsumers QUEUE_FILE THREADS}.
 */
public final class SharedQueueConsumers
{
    private SharedQueueConsumers()
    {
    }

    /**
     * Opens the queue once per thread and takes until the parent goes away.
     *
     * @param args the queue file and the number of consumer threads.
     * @throws IOException if the queue could not be opened.
     */
    public static void main(final String[] args) throws IOException
    {
        if (args.length != 2)
        {
            throw new IllegalArgumentException("usage: SharedQueueConsumers QUEUE_FILE THREADS");
        }
        EchoServer.exitWhenParentGoes();
        final Path file = Path.of(args[0]);
        final int threads = Integer.parseInt(args[1]);
        final List<SharedQueue<Long>> queues = new ArrayList<>();
        for (int i = 0; i < threads; i++)
        {
            queues.add(SharedQueue.open(file, Codecs.longs()));
        }
        for (int i = 0; i < threads; i++)
        {
            final SharedQueue<Long> queue = queues.get(i);
            final Thread consumer = new Thread(() -> consume(queue), "shared-queue-consumer-" + i);
            consumer.start();
        }
        EchoServer.ready(Integer.toString(threads));
    }

    private static void consume(final SharedQueue<Long> queue)
    {
        long sum = 0;
        try
        {
            while (true)
            {
                sum += queue.take();
                queue.taskDone();
            }
        }
        catch (final InterruptedException | RuntimeException ex)
        {
            System.out.println(Thread.currentThread().getName() + " failed after a sum of " + sum + ": " + ex);
            ex.printStackTrace(System.out);
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
    }
}
