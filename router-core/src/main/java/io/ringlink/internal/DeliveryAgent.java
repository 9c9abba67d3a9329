package io.ringlink.internal;

import io.ringlink.WaitStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One delivery thread of {@code ThreadingMode.SHARED}: owns some sinks and runs, in turn, every delivery that feeds
 * them (one per source ring) and the pumps of the sources assigned to it that read without blocking, as an Agrona
 * {@code AgentRunner} runs its agent's duty cycle: poll each pump and each delivery once, and when none had anything,
 * idle with the router's wait strategy. Since all of a sink's deliveries are on its
 * agent, a sink is never called from two threads and fan-in needs no lock.
 * <p>
 * Under {@code BLOCKING} an idle agent spins and yields first ({@link Idle}), then parks: one that parked the moment
 * it caught up with a busy ring would be unparked by nearly every publish. The wake-up is a Dekker pair with the
 * producers' {@link AgentSignal}, on the agent's {@link SleepFlag}: the agent raises it (and fences), then looks at
 * every ring once more before it parks; a producer stores the cursor, fences, then reads the flag and unparks. Either
 * the agent sees the message or the producer sees the flag; an unpark before the park leaves the permit, so the park
 * returns at once. While the agent spins and yields its flag is down and producers pay only the fence and the read.
 * <p>
 * An agent may also run the pumps of sources that read without blocking ({@link Pump#poll()}, before its deliveries
 * in each cycle, so that they find what the pumps published). Nothing signals it when such a source gets a message (it
 * is in another process, a file, a network), so under {@code BLOCKING} an agent with pumps parks for a bounded time,
 * from {@value #MIN_PARK_NANOS} ns doubling up to {@value #MAX_PARK_NANOS} ns while it stays idle, as a queue
 * source's pump does: a message that reaches an idle source is seen within about a millisecond, and the idle agent
 * wakes about a thousand times a second (a few percent of a core at most).
 * <p>
 * A halt of a delivery whose sink may be blocked interrupts the agent only while it runs that delivery, never while it
 * runs another ({@link AgentInterrupts}): the agent enters each delivery before its poll and leaves it after, and the
 * leave consumes an interrupt for it still on its way, so that it cannot fail the next sink.
 */
final class DeliveryAgent implements Runnable
{
    private static final long MIN_PARK_NANOS = 1_000;
    private static final long MAX_PARK_NANOS = 1_000_000;
    private final DisruptorRouter<?> router;
    private final Idle idle;
    private final ConcurrentLinkedQueue<Delivery> added = new ConcurrentLinkedQueue<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private final ConcurrentLinkedQueue<Pump> addedPumps = new ConcurrentLinkedQueue<>();
    private final List<Pump> pumps = new ArrayList<>();
    private final SleepFlag sleeping = new SleepFlag();
    private volatile boolean stopping;
    private long parkNanos = MIN_PARK_NANOS;
    /** Which delivery runs now: a halt interrupts this agent only while it runs the halted delivery. */
    private final AgentInterrupts interrupts = new AgentInterrupts(this::interruptThread, Thread::interrupted);
    /** Sinks assigned to this agent; under the router lock. */
    int sinks;
    /** Pumps assigned to this agent and not ended yet. */
    final AtomicInteger sources = new AtomicInteger();
    Thread thread;

    DeliveryAgent(final DisruptorRouter<?> router, final WaitStrategy strategy)
    {
        this.router = router;
        this.idle = new Idle(strategy);
    }

    /** Hands a new delivery to this agent; it begins at its next duty cycle. */
    void add(final Delivery delivery)
    {
        added.add(delivery);
        wake();
    }

    /** Hands the pump of a source that reads without blocking to this agent; it begins at its next duty cycle. */
    void add(final Pump pump)
    {
        addedPumps.add(pump);
        wake();
    }

    /** Ends the agent once it has no delivery and no pump left. */
    void stop()
    {
        stopping = true;
        wake();
    }

    /** Wakes the agent whatever it is doing (a change: a delivery added or halted, the stop). */
    void wake()
    {
        final Thread t = thread;
        if (t != null)
        {
            LockSupport.unpark(t);
        }
    }

    /** A producer published, after a full fence: wakes the agent if it is going to sleep or asleep. */
    void wakeIfSleeping()
    {
        if (sleeping.isRaised())
        {
            wake();
        }
    }

    @Override
    public void run()
    {
        while (true)
        {
            adopt();
            int work = 0;
            for (int i = 0; i < pumps.size(); i++)
            {
                final int moved = pumps.get(i).poll();
                if (moved == Pump.DONE)
                {
                    pumps.remove(i--);
                    sources.decrementAndGet();
                    work++;
                }
                else
                {
                    work += moved;
                }
            }
            for (int i = 0; i < deliveries.size(); i++)
            {
                final Delivery delivery = deliveries.get(i);
                int handled;
                interrupts.enter(delivery);
                try
                {
                    handled = delivery.poll();
                }
                catch (final Throwable ex)
                {
                    router.onDeliveryCrash(delivery, ex);
                    handled = Delivery.DONE;
                }
                finally
                {
                    interrupts.leave(delivery);
                }
                if (handled == Delivery.DONE)
                {
                    deliveries.remove(i--);
                    delivery.exit(delivery.reachedEnd());
                    work++;
                }
                else
                {
                    work += handled;
                }
            }
            if (work > 0)
            {
                idle.reset();
                parkNanos = MIN_PARK_NANOS;
                continue;
            }
            if (stopping && deliveries.isEmpty() && added.isEmpty() && pumps.isEmpty() && addedPumps.isEmpty())
            {
                return;
            }
            // An interrupt was meant for a sink that was blocked (a halt); it must not reach the next sink.
            Thread.interrupted();
            if (!idle.idle())
            {
                park();
            }
        }
    }

    /**
     * A halter, after it raised the delivery's halted flag: interrupts this agent if it runs the delivery now (a halt
     * of a delivery whose sink may be blocked), never while it runs another one; see {@link AgentInterrupts}.
     */
    void interruptIfRunning(final Delivery delivery)
    {
        interrupts.interruptIfRunning(delivery);
    }

    private void interruptThread()
    {
        final Thread t = thread;
        if (t != null)
        {
            t.interrupt();
        }
    }

    private void adopt()
    {
        Delivery delivery;
        while ((delivery = added.poll()) != null)
        {
            delivery.begin();
            deliveries.add(delivery);
        }
        Pump pump;
        while ((pump = addedPumps.poll()) != null)
        {
            pumps.add(pump);
        }
    }

    private void park()
    {
        sleeping.raise();
        if (!hasWork())
        {
            if (pumps.isEmpty())
            {
                LockSupport.park(this);
            }
            else
            {
                // No producer signals a polled source's message: look again after a bounded, growing wait.
                LockSupport.parkNanos(this, parkNanos);
                parkNanos = Math.min(parkNanos << 1, MAX_PARK_NANOS);
            }
        }
        sleeping.lower();
    }

    private boolean hasWork()
    {
        if (stopping || !added.isEmpty() || !addedPumps.isEmpty())
        {
            return true;
        }
        for (final Delivery delivery : deliveries)
        {
            if (delivery.hasWork())
            {
                return true;
            }
        }
        return false;
    }
}
