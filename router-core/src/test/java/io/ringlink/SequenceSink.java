package io.ringlink;

import java.util.ArrayList;
import java.util.List;

/**
 * A sink that checks, as messages arrive, that every source's sequence numbers come gap-free and in order.
 * Messages are longs: the source index in the high bits, the sequence in the low 40 bits. Not thread-safe on purpose:
 * the router must serialise calls from several sources (a lost update shows as a wrong count).
 */
public final class SequenceSink implements Sink<Long>
{
    public static final int SEQUENCE_BITS = 40;
    public static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;

    private final long[] expected;
    private final List<String> problems = new ArrayList<>();
    private long count;
    private volatile long published;
    private volatile boolean inside;
    private long spinNanos;

    public SequenceSink(final int sources)
    {
        this.expected = new long[sources];
    }

    /**
     * A sink that takes about {@code nanos} per message, so that a batch lasts long enough for another thread to
     * overlap it if the router ever let two threads in.
     *
     * @param sources number of sources.
     * @param nanos   time spent in each call.
     * @return the sink.
     */
    public static SequenceSink slow(final int sources, final long nanos)
    {
        final SequenceSink sink = new SequenceSink(sources);
        sink.spinNanos = nanos;
        return sink;
    }

    /**
     * Expects a gap-free suffix per source: the first message seen from each source sets where it starts.
     *
     * @param sources number of sources.
     * @return the sink.
     */
    public static SequenceSink startingAnywhere(final int sources)
    {
        final SequenceSink sink = new SequenceSink(sources);
        java.util.Arrays.fill(sink.expected, -1);
        return sink;
    }

    public static long message(final int source, final long sequence)
    {
        return ((long)source << SEQUENCE_BITS) | sequence;
    }

    @Override
    public void onMessage(final Long message)
    {
        if (inside)
        {
            problems.add("called concurrently");
        }
        inside = true;
        if (spinNanos > 0)
        {
            final long until = System.nanoTime() + spinNanos;
            while (System.nanoTime() - until < 0)
            {
                Thread.onSpinWait();
            }
        }
        final int source = (int)(message >>> SEQUENCE_BITS);
        final long sequence = message & SEQUENCE_MASK;
        if (expected[source] >= 0 && sequence != expected[source] && problems.size() < 10)
        {
            problems.add("source " + source + ": expected " + expected[source] + " got " + sequence);
        }
        expected[source] = sequence + 1;
        count++;
        inside = false;
        published = count;
    }

    public long count()
    {
        return published;
    }

    /** The next sequence expected from a source: one past the last seen. */
    public long nextExpected(final int source)
    {
        return expected[source];
    }

    public List<String> problems()
    {
        return problems;
    }
}
