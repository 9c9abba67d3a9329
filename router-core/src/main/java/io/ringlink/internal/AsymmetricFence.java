package io.ringlink.internal;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heavy side of an asymmetric fence (Dice, Huang and Yang, "Asymmetric Dekker Synchronization", 2001): a rare
 * caller pays for the store-load fence that a frequent caller on another thread leaves out.
 * <p>
 * {@link #serialise()} brings every Java thread of the JVM to a global safepoint and back. A thread in Java code
 * stops at a safepoint only at a poll (or in the interpreter between bytecodes), one in native code or blocked is
 * already stopped, and a stop and the resumption after it are full fences. A preempted thread is waited for, not
 * overtaken. So, for the frequent side's store of A followed in program order by its load of B, and the rare side's
 * volatile store of B followed by {@code serialise()} and then its load of A:
 * <ul>
 *   <li>if the frequent side's store and load both came before the safepoint, its store is visible to the rare
 *       side's load after it;</li>
 *   <li>if both came after it, its load sees the rare side's store;</li>
 *   <li>if the safepoint fell between them, both hold.</li>
 * </ul>
 * So at least one side sees the other's store, as with a fence on both sides. This is what HotSpot itself did to
 * spare its threads' state transitions a fence (the serialisation page). The Java Memory Model does not promise it:
 * it rests on HotSpot's safepoints ("ThreadDump" in {@code -Xlog:safepoint}, on JDK 17 and 25; checked by
 * {@code AsymmetricFenceTest} with JFR) and on its compilers keeping an opaque store before a later volatile load
 * (C2 puts a compiler barrier around every access that is not plain; the interpreter and C1 make opaque accesses
 * volatile). The frequent side's accesses must therefore be opaque or stronger, which also keeps the JIT from
 * hoisting the load out of a loop.
 * <p>
 * {@link #AVAILABLE} is {@code false} on a JVM that is not HotSpot, with a JVMCI compiler (Graal) as its JIT, in a
 * native image, or with {@code -Dringlink.asymmetricFence=false}; callers then fence both sides. A call pauses every
 * thread for about 0.1 ms (a few ms with a thousand threads): for closes, never per message.
 */
public final class AsymmetricFence
{
    /** The system property that turns the asymmetric fence off ({@code false}): both sides then fence. */
    public static final String PROPERTY = "ringlink.asymmetricFence";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final AtomicLong STARTED = new AtomicLong();
    private static final AtomicLong COMPLETED = new AtomicLong();

    /** Whether {@link #serialise()} may be relied on in this JVM. */
    public static final boolean AVAILABLE = available();

    private AsymmetricFence()
    {
    }

    /**
     * Brings every Java thread to a global safepoint and back: once this returns, every store another thread made
     * before its latest safepoint poll is visible to the caller, and every load another thread makes after its next
     * poll sees the caller's stores from before this call.
     * <p>
     * {@code ThreadMXBean.dumpAllThreads(false, false, 0)} is a "ThreadDump" safepoint operation that walks no stack
     * (0.1 ms paused with 200 threads); {@code Thread.getAllStackTraces()} walks every stack inside the pause (19 ms
     * with 200 threads 100 frames deep). Neither {@code ThreadMXBean.getThreadInfo(ids, 0)} (no safepoint) nor one
     * thread's {@code getStackTrace()} (on JDK 25 a handshake with that thread alone) would do.
     */
    public static void serialise()
    {
        final long ticket = STARTED.incrementAndGet();
        THREADS.dumpAllThreads(false, false, 0);
        COMPLETED.accumulateAndGet(ticket, Math::max);
    }

    /**
     * The ticket of a caller that has just made its volatile store: {@link #serialiseAfter(long)} with it skips the
     * safepoint when another caller's has begun since and already ended, so that a stop closing many gates pays for
     * one.
     *
     * @return the count of serialisations begun so far.
     */
    public static long ticket()
    {
        return STARTED.get();
    }

    /**
     * Serialises as {@link #serialise()} does, unless a serialisation that began after {@code ticket} was taken has
     * already ended, which served as well: it began after the caller's volatile store.
     *
     * @param ticket what {@link #ticket()} returned after the caller's volatile store.
     * @return {@code false} if the safepoint could not be brought about (a security manager refused it, or memory ran
     *         out): the caller must then assume that the other side may not have seen its store.
     */
    public static boolean serialiseAfter(final long ticket)
    {
        if (COMPLETED.get() > ticket)
        {
            return true;
        }
        try
        {
            serialise();
            return true;
        }
        catch (final SecurityException | OutOfMemoryError ex)
        {
            return false;
        }
    }

    private static boolean available()
    {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true")) ||
            System.getProperty("org.graalvm.nativeimage.imagecode") != null)
        {
            return false;
        }
        final String vm = System.getProperty("java.vm.name", "");
        if (!vm.contains("HotSpot") && !vm.contains("OpenJDK"))
        {
            return false;
        }
        try
        {
            // the reasoning covers HotSpot's own compilers (C1, C2) only, not a JVMCI compiler such as Graal
            final HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotSpot == null || Boolean.parseBoolean(hotSpot.getVMOption("UseJVMCICompiler").getValue()))
            {
                return false;
            }
        }
        catch (final IllegalArgumentException ex)
        {
            // no such option: a HotSpot without JVMCI
        }
        catch (final SecurityException ex)
        {
            return false;
        }
        try
        {
            serialise();
            return true;
        }
        catch (final SecurityException ex)
        {
            return false;
        }
    }
}
