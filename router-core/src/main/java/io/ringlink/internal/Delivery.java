package io.ringlink.internal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import io.ringlink.Sink;
import io.ringlink.SinkErrorPolicy;
import io.ringlink.SinkOptions.SlowSinkPolicy;
import io.ringlink.ThreadingMode;

import java.lang.invoke.VarHandle;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Moves one source's ring into one sink, on its own thread: the (source ring, sink) pair of the data flow.
 * <p>
 * Like the Disruptor's batch processor, it waits on the ring's barrier for the highest published sequence and hands
 * that batch to the sink, then advances its gating sequence once: producers waiting for room then find a whole batch
 * free, instead of trading a cache line with the delivery per slot. Its position and delivered counter advance after
 * every message (release stores to lines only metrics read), so lag and counts are exact even while a sink blocks.
 * A sink fed by several sources (and not thread-safe) is locked once per batch, not per message; a sink with one
 * source is not locked at all. It ends at the source's end marker, or when halted (the flag, and the interrupt that
 * reaches its agent only while the agent runs it, are {@link AgentInterrupts}').
 * <p>
 * Slow-sink policies ({@link SlowSinks}): under {@code drop} a producer waiting for room may move this delivery's
 * gating sequence ahead (a compare-and-set); under {@code disconnectAfter} a producer held too long removes the
 * gating sequence and halts the delivery. Either way the slots behind the producer's new limit may be overwritten
 * while this delivery reads them, so each message read is validated after the read (load-load fence, then the gating
 * sequence or the halt flag): a read that may have seen a newer message is never handed to the sink. Under
 * {@code block} nothing is validated and the path is as before.
 */
final class Delivery extends AgentInterrupts.Task implements Runnable
{
    private static final int MAX_BATCH = 1024;
    /** {@link #poll()}: this delivery is done. */
    static final int DONE = -1;
    private static final int MORE = 0;
    private static final int END = 1;
    private static final int STOP = 2;

    final SourceRing source;
    final SinkState sink;
    /** The gating sequence the producers wait on: advanced once per batch, as the Disruptor's batch processor does. */
    final Sequence sequence = new Sequence(-1);
    /** The last sequence handed to the sink, advanced per message; read only by metrics, never by producers. */
    private final Sequence position = new Sequence(-1);
    /** Last sequence whose batch the sink also flushed ({@code onEndOfBatch}); acknowledging sources commit on it. */
    private final Sequence flushed = new Sequence(-1);
    private final Sequence delivered = new Sequence(0);
    /**
     * {@link #delivered} when the sink's {@code onEndOfBatch} was last called, and when {@link #flushed} was last set:
     * messages, not sequences (slots also hold skip and end markers), so that a stop can count what was handed to a
     * sink whose flush never returned. One store each per batch.
     */
    private final Sequence deliveredAtFlushCall = new Sequence(0);
    private final Sequence deliveredAtFlush = new Sequence(0);
    private final SequenceBarrier barrier;
    private final DisruptorRouter<?> router;
    private final LatencyProbe probe;
    /** Raised under the router lock when this delivery's sink becomes shared; see {@link #awaitSiblings()}. */
    final Handshake handshake;
    volatile boolean exited;
    /** Deliveries of the same sink, with the handshake each must acknowledge before this one starts. */
    private Delivery[] siblings = new Delivery[0];
    private long[] siblingHandshakes = new long[0];
    Thread thread;
    /** Under {@code drop}: producers may move {@link #sequence} ahead. */
    private final boolean dropping;
    /** Under {@code disconnectAfter}: a held producer may remove {@link #sequence} from the ring's gating. */
    private final boolean disconnecting;
    /** A producer waiting for room may relieve this delivery ({@code drop} or {@code disconnectAfter}). */
    final boolean relievable;
    /** Messages skipped because a producer moved this delivery ahead; written by this delivery only. */
    private final Sequence dropped = new Sequence(0);
    private final int pushChunk;
    private final CountDownLatch exitLatch = new CountDownLatch(1);
    /** The agent that runs this delivery in {@link ThreadingMode#SHARED}, else {@code null}. */
    DeliveryAgent agent;
    /** The next sequence to read, the gating sequence this delivery last set, messages delivered so far. */
    private long next;
    private long mine;
    private long count;
    /** The gating sequence as the router set it when adding it (the cursor then); see {@link #markStart()}. */
    private long start = -1;
    private boolean reachedEnd;

    Delivery(final SourceRing source, final SinkState sink, final DisruptorRouter<?> router, final LatencyProbe probe)
    {
        this.source = source;
        this.sink = sink;
        this.router = router;
        this.probe = probe;
        this.barrier = source.ring.newBarrier();
        this.handshake = new Handshake(barrier);
        this.dropping = sink.policy == SlowSinkPolicy.DROP;
        this.disconnecting = sink.policy == SlowSinkPolicy.DISCONNECT;
        this.relievable = dropping || disconnecting;
        this.pushChunk = Math.max(1, Math.min(MAX_BATCH, source.ring.getBufferSize() / 8));
    }

    long dropped()
    {
        return dropped.get();
    }

    /** The sequence the next claim in the ring needs every gating sequence to have reached. */
    private long neededForNextClaim()
    {
        return source.ring.getCursor() + 1 - source.ring.getBufferSize();
    }

    /** Producer side: whether this delivery is what keeps the ring full. */
    boolean holdsProducer()
    {
        return sequence.get() < neededForNextClaim();
    }

    /**
     * Producer side, under {@code drop}: if this delivery keeps the ring full, moves its gating sequence ahead by a
     * chunk (at most to the cursor), so that the producer finds room; the delivery counts what it skipped.
     *
     * @return whether room was made.
     */
    boolean pushAhead()
    {
        final long cursor = source.ring.getCursor();
        final long needed = cursor + 1 - source.ring.getBufferSize();
        final long current = sequence.get();
        if (!dropping || current >= needed)
        {
            return false;
        }
        final long target = Math.min(cursor, needed - 1 + pushChunk);
        return sequence.compareAndSet(current, target) || sequence.get() >= needed;
    }

    long delivered()
    {
        return delivered.get();
    }

    long position()
    {
        return position.get();
    }

    /**
     * Messages of a pump's ring (no skipped slots: message n sits at sequence n - 1) this delivery's sink has
     * received, its {@code onMessage} returned, flushed or not.
     */
    long received()
    {
        return Math.max(position.get(), sequence.get()) + 1;
    }

    /** The last sequence the sink received and flushed; -1 until this delivery has started. */
    long flushedPosition()
    {
        return flushed.get();
    }

    /**
     * Messages of the batch whose {@code onEndOfBatch} was called and has not returned (the sink blocked in its flush,
     * a write to a pipe nobody reads): handed to the sink, so counted in {@link #delivered()}, and lost if the sink is
     * given up now. None of them is in {@link #lag()}. A sink held in {@code onMessage} has had no flush called for
     * its batch: what it took of the batch is its own (a queue holds it), none of it is counted here.
     */
    long unflushed()
    {
        return Math.max(0, deliveredAtFlushCall.get() - deliveredAtFlush.get());
    }

    /** Messages published to the source's ring that this delivery has not handed to its sink yet. */
    long lag()
    {
        return Math.max(0, Math.min(source.ring.getCursor(), source.endSequence - 1) - position.get());
    }

    /** Stops this delivery at its next batch; wakes it if it waits for the ring or is blocked in the sink. */
    void halt(final boolean interrupt)
    {
        markHalted();
        barrier.alert();
        final DeliveryAgent owner = agent;
        if (owner != null)
        {
            owner.wake();
        }
        final Thread t = thread;
        // Not the caller's own thread (a pump on this delivery's agent giving up its end): it is in no sink now, and
        // the interrupt would reach the next sink the agent calls, fed by another source.
        if (!interrupt || t == null || t == Thread.currentThread())
        {
            return;
        }
        if (owner == null)
        {
            t.interrupt();
            return;
        }
        // An agent runs other deliveries too: interrupt it only while it runs this one (AgentInterrupts).
        owner.interruptIfRunning(this);
    }

    /**
     * Under the router lock, before this delivery starts: its sink is fed by other deliveries too and is not
     * thread-safe. They lock the sink per batch from now on; this delivery starts once each has finished the batch it
     * may have begun unlocked (it acknowledges between batches, woken by an alert on its barrier).
     */
    void shareSinkWith(final Delivery[] others)
    {
        siblings = others;
        siblingHandshakes = new long[others.length];
        for (int i = 0; i < others.length; i++)
        {
            final Delivery other = others[i];
            siblingHandshakes[i] = other.handshake.request();
        }
    }

    private boolean awaitSiblings()
    {
        for (int i = 0; i < siblings.length; i++)
        {
            final Delivery other = siblings[i];
            for (int attempt = 0; !other.handshake.isAnswered(siblingHandshakes[i]) && !other.exited; attempt++)
            {
                if (halted)
                {
                    return false;
                }
                Idle.backoff(attempt);
            }
        }
        siblings = null;
        return true;
    }

    @Override
    public void run()
    {
        boolean reachedEnd = false;
        try
        {
            reachedEnd = awaitSiblings() && deliverUntilEnd();
        }
        catch (final Throwable ex)
        {
            router.onDeliveryCrash(this, ex);
        }
        finally
        {
            exit(reachedEnd);
        }
    }

    /** This delivery is done (on its thread or its agent): the router takes it out; {@link #awaitExit} returns. */
    void exit(final boolean reachedEnd)
    {
        try
        {
            exited = true;
            router.onDeliveryExit(this, reachedEnd);
        }
        finally
        {
            exitLatch.countDown();
        }
    }

    /**
     * Waits until this delivery has exited and the router has taken it out.
     *
     * @param deadlineNanos a {@link System#nanoTime()}.
     * @return {@code false} if it was still running at the deadline.
     */
    boolean awaitExit(final long deadlineNanos)
    {
        return Thread.currentThread() == thread || Shutdown.awaitUntil(exitLatch, deadlineNanos);
    }

    /**
     * Under the router lock, once the gating sequence is added to the ring (which set it to the cursor) and before
     * the ring's producers may push it ({@link SourceRing#updateSlowDeliveries()}): where this delivery starts. Read
     * by {@link #begin()}, on the thread or agent this delivery is handed to afterwards.
     */
    void markStart()
    {
        start = sequence.get();
    }

    /**
     * Before the first batch: start just after the gating sequence. Under {@code drop} a producer may have pushed it
     * past the start the router set before this ran (its thread or agent busy): those messages count as dropped.
     */
    void begin()
    {
        mine = sequence.get();
        if (mine > start)
        {
            dropped.set(dropped.get() + mine - start);
        }
        flushed.set(mine);
        position.set(mine);
        next = mine + 1;
        count = delivered.get();
        deliveredAtFlushCall.set(count);
        deliveredAtFlush.set(count);
    }

    private boolean deliverUntilEnd()
    {
        begin();
        while (!halted)
        {
            final long available;
            try
            {
                available = barrier.waitFor(next);
            }
            catch (final AlertException | InterruptedException ex)
            {
                if (halted)
                {
                    return false;
                }
                // Between batches: answer a handshake, after which every batch reads sink.shared as set.
                handshake.answer();
                continue;
            }
            catch (final TimeoutException ex)
            {
                continue;
            }
            if (available < next)
            {
                skipIfNothingReadable();
                continue;
            }
            final int step = deliverBatch(available);
            if (step != MORE)
            {
                return step == END;
            }
        }
        return false;
    }

    /**
     * On an agent ({@link ThreadingMode#SHARED}): delivers what is published now, without waiting.
     *
     * @return messages handled (0 if none), or {@link #DONE} once this delivery reached its end or was halted.
     */
    int poll()
    {
        if (halted)
        {
            return DONE;
        }
        final RingBuffer<Envelope> ring = source.ring;
        final long cursor = ring.getCursor();
        if (cursor < next)
        {
            return 0;
        }
        final long available = source.concurrentCount == null ? cursor : highestPublished(ring, cursor);
        if (available < next)
        {
            skipIfNothingReadable();
            return 0;
        }
        final long before = next;
        final int step = deliverBatch(available);
        if (step == END)
        {
            reachedEnd = true;
            return DONE;
        }
        return step == STOP ? DONE : (int)Math.max(1, next - before);
    }

    /** A multi-producer ring's cursor is what was claimed: the published run from {@link #next}, up to a batch. */
    private long highestPublished(final RingBuffer<Envelope> ring, final long cursor)
    {
        final long limit = Math.min(cursor, next + MAX_BATCH - 1);
        long available = next - 1;
        while (available < limit && ring.isAvailable(available + 1))
        {
            available++;
        }
        return available;
    }

    /** On an agent: whether a poll would find something (or that this delivery is to end). */
    boolean hasWork()
    {
        return halted || source.ring.getCursor() >= next;
    }

    /** Whether the last {@link #poll()} that returned {@link #DONE} saw the source's end marker. */
    boolean reachedEnd()
    {
        return reachedEnd;
    }

    private void skipIfNothingReadable()
    {
        if (dropping)
        {
            next = skipIfPushed(next);
            mine = next - 1;
        }
    }

    /** Hands the published messages from {@link #next} to {@code available} (at most a batch) to the sink. */
    private int deliverBatch(final long available)
    {
        final RingBuffer<Envelope> ring = source.ring;
        final Sink<Object> target = sink.sink;
        final ReentrantLock lock = sink.lock;
        final long[] stamps = source.publishedNanos;
        final boolean validating = relievable;
        final long last = Math.min(available, next + MAX_BATCH - 1);
        boolean end = false;
        boolean stopAfterError = false;
        long sequenceDone = next - 1;
        final boolean locking = lock != null && sink.shared;
        if (locking)
        {
            lock.lock();
        }
        try
        {
            for (long seq = next; seq <= last; seq++)
            {
                if (halted)
                {
                    // Removed or given up: not one message more, so that what it missed is exact.
                    stopAfterError = true;
                    break;
                }
                final Object value = ring.get(seq).value;
                if (validating && !isValidRead(seq))
                {
                    if (halted || !dropping)
                    {
                        return STOP;
                    }
                    // Lapped: a producer moved this delivery past seq; the batch ends here, the rest is skipped.
                    break;
                }
                sequenceDone = seq;
                if (value == Envelope.END)
                {
                    end = true;
                    break;
                }
                if (value != Envelope.SKIP)
                {
                    try
                    {
                        target.onMessage(value);
                        delivered.set(++count);
                        if (stamps != null)
                        {
                            probe.record(System.nanoTime() - stamps[(int)(seq & source.mask)]);
                        }
                    }
                    catch (final Throwable ex)
                    {
                        if (halted)
                        {
                            return STOP;
                        }
                        if (router.onSinkError(this, ex) != SinkErrorPolicy.KEEP && sink.removed)
                        {
                            stopAfterError = true;
                            break;
                        }
                    }
                }
                position.set(seq);
            }
            if (!stopAfterError)
            {
                deliveredAtFlushCall.set(count);
                try
                {
                    target.onEndOfBatch();
                }
                catch (final Throwable ex)
                {
                    if (halted)
                    {
                        return STOP;
                    }
                    router.onSinkError(this, ex);
                    stopAfterError = sink.removed;
                }
            }
        }
        finally
        {
            if (locking)
            {
                lock.unlock();
            }
        }
        if (dropping)
        {
            sequenceDone = advanceDropping(mine, sequenceDone);
            mine = sequenceDone;
        }
        else
        {
            sequence.set(sequenceDone);
        }
        position.set(sequenceDone);
        if (!stopAfterError)
        {
            deliveredAtFlush.set(count);
            flushed.set(sequenceDone);
        }
        if (end)
        {
            return END;
        }
        if (stopAfterError)
        {
            return STOP;
        }
        next = sequenceDone + 1;
        return MORE;
    }

    /**
     * After reading slot {@code seq}: whether the read can be trusted. The producer may overwrite the slot only after
     * it has moved this delivery's sequence to {@code seq} or beyond (drop) or after this delivery was halted
     * (disconnect); the fence keeps the slot's read before the check.
     */
    private boolean isValidRead(final long seq)
    {
        VarHandle.loadLoadFence();
        return dropping ? sequence.get() < seq : !halted;
    }

    /** Under {@code drop}, with nothing readable at {@code next}: skips what a producer pushed this delivery past. */
    private long skipIfPushed(final long next)
    {
        final long pushed = sequence.get();
        if (pushed >= next)
        {
            dropped.set(dropped.get() + pushed + 1 - next);
            position.set(pushed);
            return pushed + 1;
        }
        return next;
    }

    /**
     * Under {@code drop}, at the end of a batch: moves the gating sequence from {@code mine} to {@code done}, unless a
     * producer moved it further meanwhile; then the messages up to the producer's value count as dropped.
     *
     * @return the sequence this delivery now stands at.
     */
    private long advanceDropping(final long mine, final long done)
    {
        long expected = mine;
        while (!sequence.compareAndSet(expected, done))
        {
            expected = sequence.get();
            if (expected >= done)
            {
                dropped.set(dropped.get() + expected - done);
                return expected;
            }
        }
        return done;
    }
}
