package io.ringlink.internal;

import com.lmax.disruptor.RingBuffer;
import io.ringlink.AcknowledgingSource;
import io.ringlink.MessageHandler;
import io.ringlink.Source;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * Moves a pulled source into its ring. Messages of one read are claimed one by one and published as a batch, so a
 * burst costs one cursor update and one wake-up of the deliveries.
 * <p>
 * One pump, two drivers, the same steps: its own thread ({@link #run()}), where each step waits where it must (the
 * source's {@code read}, room in the ring, the deliveries' progress, a registration change); or, for a source that
 * {@linkplain Source#readsWithoutBlocking() reads without blocking} in {@code SHARED}, a {@link DeliveryAgent}'s duty
 * cycle ({@link #poll()}), where no step waits: one that would comes back with no work and the agent runs it again on
 * its next cycle. Either way one thread runs it, the only producer of the source's single-producer ring, which writes
 * the end marker itself. The phases:
 * <pre>
 *   READING       room first, then a read of at most that room; stop, unregister, give-up or end of stream: next
 *   MOVING_HELD   at a stop: readAvailable what the source holds (its backlog then), a report and room first each
 *                 time
 *   ACKNOWLEDGING an acknowledging source: until every delivery passed every message (or the ring is abandoned),
 *                 then the last count; the source is closed
 *   ENDING        the end marker (or, with no room and the ring given up, the sinks halted); then DONE
 * </pre>
 */
final class Pump implements Runnable, MessageHandler<Object>
{
    /** {@link #poll()}: the pump has ended its source. */
    static final int DONE = -1;
    private static final int READ_LIMIT = 256;
    private static final int MAX_UNPUBLISHED = 64;
    /** {@link #room()}: the ring is full and the pump is on an agent, which comes back on its next cycle. */
    private static final int LATER = -1;

    private enum Phase
    {
        READING, MOVING_HELD, ACKNOWLEDGING, ENDING, DONE
    }

    private final SourceRing source;
    private final Source<Object> input;
    private final DisruptorRouter<?> router;
    private final RingBuffer<Envelope> ring;
    private final int maxUnpublished;
    /** What is reported to a source that wants delivery progress reports, else {@code null}. */
    private final Acknowledgements acknowledgements;
    /** The agent whose duty cycle runs this pump, or {@code null} when it has a thread of its own. */
    final DeliveryAgent agent;
    /** The pump's own thread; {@code null} on an agent. */
    Thread thread;
    private final CountDownLatch ended = new CountDownLatch(1);
    private Phase phase = Phase.READING;
    /** {@code MOVING_HELD}: messages still to move. */
    private long budget;
    /** {@code ACKNOWLEDGING}: what was published when the last read was done. */
    private long publishedAtLastRead;
    private int waits;
    private boolean waitingForRoom;
    private long roomWaitStart;
    private boolean endMarked;
    private long endWaitStart;
    private long firstUnpublished = -1;
    private long lastUnpublished = -1;
    private int unpublished;
    private volatile boolean holding;
    /** Move what the source already holds, then end. */
    private volatile boolean stopRequested;
    /** End now; what is in the ring is still delivered. */
    private volatile boolean unregistered;

    Pump(final SourceRing source, final DisruptorRouter<?> router, final DeliveryAgent agent)
    {
        this.source = source;
        this.input = source.source;
        this.router = router;
        this.agent = agent;
        this.ring = source.ring;
        this.maxUnpublished = Math.min(MAX_UNPUBLISHED, ring.getBufferSize());
        this.acknowledgements = source.source instanceof AcknowledgingSource ?
            new Acknowledgements(source, (AcknowledgingSource<?>)source.source) : null;
    }

    /** The router stops: move what the source already holds, then end. */
    void requestStop()
    {
        stopRequested = true;
        wake();
    }

    /** The source is unregistered: end now; what is in the ring is still delivered. */
    void unregister()
    {
        unregistered = true;
        wake();
    }

    /** A flag changed (a stop, an unregister, the ring abandoned): an agent parked under {@code BLOCKING} looks. */
    void wake()
    {
        if (agent != null)
        {
            agent.wake();
        }
    }

    /** Whether the pump has not ended yet (its thread alive, or its agent still running it). */
    boolean isRunning()
    {
        return thread != null ? thread.isAlive() : ended.getCount() > 0;
    }

    /** Whether the caller is the thread that runs this pump (a sink on its agent, calling the router). */
    boolean runsOnCurrentThread()
    {
        return Thread.currentThread() == (thread != null ? thread : agent.thread);
    }

    /**
     * Waits until the pump has ended: its thread joined, or its last step run by its agent. The agent itself cannot
     * wait for its own pump (a sink calling {@code unregister}): it does not wait.
     *
     * @param deadlineNanos a {@link System#nanoTime()}.
     * @return {@code true} if it has ended.
     */
    boolean awaitEnd(final long deadlineNanos)
    {
        if (thread != null)
        {
            return Shutdown.joinUntil(thread, deadlineNanos);
        }
        return runsOnCurrentThread() ? !isRunning() : Shutdown.awaitUntil(ended, deadlineNanos);
    }

    /**
     * Past its time, after the ring was abandoned: a pump thread stuck in a read that ignores the stop has its source
     * closed under it and is interrupted. A pump on an agent is never inside a read between its steps: its agent is
     * held by a sink, which the pump's next step would have to wait for; the source's deliveries are halted (their
     * agents interrupted), as the pump would do when its end marker finds no room, so that the agent comes back and
     * the pump reports, closes its source and ends.
     */
    void forceEnd()
    {
        if (thread != null)
        {
            router.closeQuietly(input, source.id.name());
            thread.interrupt();
        }
        else
        {
            router.abandonDeliveries(source);
        }
    }

    /** Whether the pump has taken messages from its source that are not yet visible in the ring. */
    boolean isHolding()
    {
        return holding;
    }

    @Override
    public void onMessage(final Object message)
    {
        if (message == null)
        {
            throw new IllegalArgumentException("source " + source.id.name() + " handed over a null message");
        }
        if (unpublished == 0)
        {
            holding = true;
        }
        long sequence = Claims.tryClaim(ring);
        if (sequence == Claims.NONE || source.abandoned)
        {
            // The ring is full (a source handed more than the room it was read for), or abandoned: let the
            // deliveries have what this pump claimed before waiting for room. A slot claimed in an abandoned ring
            // stays unpublished: no delivery reads it any more.
            publishClaimed();
            holding = true;
            // On an agent, waiting for room here could wait for the agent's own deliveries: never.
            sequence = sequence == Claims.NONE && agent == null ? Claims.claim(source, Claims.FOREVER) : Claims.NONE;
            if (sequence == Claims.NONE)
            {
                // Taken from the source, never in the ring: counted, not lost silently.
                router.onUndelivered(source, 1);
                if (!source.abandoned && agent != null)
                {
                    throw new IllegalStateException("source " + source.id.name() + " handed more messages than the " +
                        "limit of its readAvailable, which a source that reads without blocking must not do");
                }
                throw new AbandonedException();
            }
        }
        ring.get(sequence).value = message;
        source.stamp(sequence);
        if (firstUnpublished < 0)
        {
            firstUnpublished = sequence;
        }
        lastUnpublished = sequence;
        if (++unpublished >= maxUnpublished)
        {
            publishClaimed();
        }
    }

    private void publishClaimed()
    {
        if (firstUnpublished >= 0)
        {
            ring.publish(firstUnpublished, lastUnpublished);
            firstUnpublished = -1;
            lastUnpublished = -1;
            unpublished = 0;
        }
        if (holding)
        {
            holding = false;
        }
    }

    /** The pump's own thread: runs the steps, each waiting where it must, until the source has ended. */
    @Override
    public void run()
    {
        while (phase != Phase.DONE)
        {
            step();
        }
    }

    /**
     * One step on an agent's duty cycle: never waits.
     *
     * @return messages moved or other progress made (0 if none), or {@link #DONE} once the source has ended.
     */
    int poll()
    {
        try
        {
            return step();
        }
        catch (final Throwable ex)
        {
            // Only an Error gets here (the source's report or close threw one): the source fails, and the pump goes
            // on to its end on the next step, so that the agent, and the other work it runs, carry on.
            router.onSourceFailure(source, ex);
            if (phase == Phase.ACKNOWLEDGING)
            {
                endWaitStart = System.nanoTime();
                phase = Phase.ENDING;
                return 1;
            }
            return finish();
        }
    }

    private int step()
    {
        return switch (phase)
        {
            case READING, MOVING_HELD -> read();
            case ACKNOWLEDGING -> acknowledgeWhenDelivered();
            case ENDING -> end();
            case DONE -> DONE;
        };
    }

    /** A read step; a failure of the source is counted and logged, and ends it. */
    private int read()
    {
        try
        {
            return phase == Phase.READING ? readOnce() : moveHeldOnce();
        }
        catch (final AbandonedException ex)
        {
            router.log().debug("pump of {} gave up waiting for room", source.id.name());
        }
        catch (final Throwable ex)
        {
            router.onSourceFailure(source, ex);
        }
        lastReadDone();
        return 1;
    }

    private int readOnce() throws Exception
    {
        if (stopRequested || unregistered)
        {
            return afterLastRead(false);
        }
        if (source.deliveries.isEmpty())
        {
            if (agent == null)
            {
                router.awaitChange();
            }
            return 0;
        }
        acknowledge();
        // Room first, then the read: a source that honours its limit is never left holding a message that waits for
        // room, so a stop or an unregister can leave what it has not taken in the source.
        final int room = room();
        if (room == LATER)
        {
            return 0;
        }
        if (room == 0)
        {
            return afterLastRead(false);
        }
        final int read = agent == null ? input.read(this, room) : input.readAvailable(this, room);
        publishClaimed();
        if (read == Source.END_OF_STREAM)
        {
            return afterLastRead(true);
        }
        return Math.max(0, read);
    }

    /** Reading is over: at a stop, the pump first moves what the source already holds. */
    private int afterLastRead(final boolean endOfStream)
    {
        if (!endOfStream && !unregistered && !source.deliveries.isEmpty())
        {
            final long backlog = input.backlog();
            budget = backlog < 0 ? Long.MAX_VALUE : backlog;
            phase = Phase.MOVING_HELD;
            return 1;
        }
        lastReadDone();
        return 1;
    }

    private int moveHeldOnce() throws Exception
    {
        if (budget <= 0)
        {
            lastReadDone();
            return 1;
        }
        // Between these reads too: a stop before the first read must not make this the first, unreported.
        acknowledge();
        final int room = room();
        if (room == LATER)
        {
            return 0;
        }
        if (room == 0)
        {
            lastReadDone();
            return 1;
        }
        final int read = input.readAvailable(this, (int)Math.min(budget, room));
        publishClaimed();
        if (read <= 0)
        {
            lastReadDone();
            return 1;
        }
        budget -= read;
        return read;
    }

    private void lastReadDone()
    {
        publishClaimed();
        publishedAtLastRead = source.published();
        waits = 0;
        phase = Phase.ACKNOWLEDGING;
    }

    /**
     * After the last read, before the end marker (so the source's ring stays registered and a stop waits for this
     * pump): waits until every delivery has passed every message, then reports the last count and closes the source.
     * When the router gives up on a blocked sink (abandoned), what every sink had received by then counts: the router
     * closes the sinks next, which flushes what they received, so a reader resumes just after the last message every
     * sink got.
     */
    private int acknowledgeWhenDelivered()
    {
        if (acknowledgements != null && !acknowledgedAll())
        {
            return 0;
        }
        // Closed before the end marker, so that a source is closed by the time its ring retires.
        router.closeQuietly(input, source.id.name());
        endWaitStart = System.nanoTime();
        phase = Phase.ENDING;
        return 1;
    }

    /** Whether the last count is reported; on an agent, {@code false} while deliveries have yet to pass. */
    private boolean acknowledgedAll()
    {
        try
        {
            final long published = publishedAtLastRead;
            while (!acknowledgements.allPassed(published))
            {
                acknowledgements.report();
                if (agent != null)
                {
                    return false;
                }
                // Sinks may take a while (up to the stop timeout): back off from 1 us to 1 ms.
                LockSupport.parkNanos(1_000L << Math.min(waits++, 10));
            }
            acknowledgements.reportLast(published);
        }
        catch (final RuntimeException ex)
        {
            router.log().warn("source {} failed to record its delivered position", source.id.name(), ex);
        }
        return true;
    }

    /** Reports to an acknowledging source how many messages every delivery has passed. */
    private void acknowledge()
    {
        if (acknowledgements != null)
        {
            acknowledgements.report();
        }
    }

    /** The end marker, claimed by this pump, the ring's only producer; on an agent, one attempt per step. */
    private int end()
    {
        if (!endMarked)
        {
            endMarked = true;
            if (!router.markEnded(source))
            {
                return finish();
            }
        }
        final long sequence = agent == null ? Claims.claim(source, Claims.FOREVER) :
            Claims.claimWhileFull(source, endWaitStart, Claims.FOREVER);
        if (sequence == Claims.FULL)
        {
            return 0;
        }
        router.publishEnd(source, sequence);
        return finish();
    }

    private int finish()
    {
        phase = Phase.DONE;
        ended.countDown();
        return DONE;
    }

    /**
     * Waits until the ring has room for at least one message, relieving the sinks that may not hold it
     * ({@link SlowSinks}), giving up when the ring is abandoned (whatever room it shows: nothing is read for a ring
     * given up), the source's give-up time passes, or the source is unregistered. On an agent it does not wait.
     *
     * @return the room, at most {@link #READ_LIMIT}; {@code 0} on giving up; {@link #LATER} on an agent, when full.
     */
    private int room()
    {
        for (int attempt = 0; ; attempt++)
        {
            if (source.abandoned)
            {
                // Given up: a claim fails, so what is read now would be lost. Its halted deliveries leaving the ring
                // empty it of gating sequences, so it shows room: the give-up is looked at first.
                return 0;
            }
            final long room = ring.remainingCapacity();
            if (room > 0)
            {
                waitingForRoom = false;
                return (int)Math.min(room, READ_LIMIT);
            }
            if (source.slowDeliveries != null)
            {
                // A drop sink is moved ahead, a disconnectAfter sink that held the ring too long removed: as a claim.
                if (!waitingForRoom)
                {
                    waitingForRoom = true;
                    roomWaitStart = System.nanoTime();
                }
                if (SlowSinks.relieve(source, System.nanoTime() - roomWaitStart))
                {
                    continue;
                }
            }
            final long giveUp = source.giveUpNanos;
            if (unregistered || giveUp != Claims.FOREVER && System.nanoTime() - giveUp > 0)
            {
                return 0;
            }
            if (agent != null)
            {
                return LATER;
            }
            if ((attempt & 63) == 63)
            {
                // Sinks progress while the ring stays full: note it, so that a stop giving up on them reports it.
                acknowledge();
            }
            Idle.backoff(attempt);
        }
    }

    /** Thrown when the router stopped while this pump waited for room in its ring. */
    static final class AbandonedException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        AbandonedException()
        {
            super("abandoned", null, false, false);
        }
    }
}
