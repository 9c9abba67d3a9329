package io.ringlink.internal;

/**
 * The heavy side of an asymmetric fence (Dice, Huang and Yang, "Asymmetric Dekker Synchronization", 2001): a rare
 * caller pays for the store-load fence that a frequent caller on another thread leaves out.
 * <p>
 * {@link #serialise()} brings every Java thread of the JVM to a global safepoint and back. A thread stops at a
 * safepoint only at a poll (a loop's back edge, a method's return, a call) or in native code, and its stop and its
 * resumption are full fences. So, for the frequent side's store of A followed, with no poll between, by its load of
 * B, and the rare side's volatile store of B followed by {@code serialise()} and then its load of A:
 * <ul>
 *   <li>if the frequent side's store and load both came before the safepoint, its store is visible to the rare
 *       side's load after it;</li>
 *   <li>if both came after it, its load sees the rare side's store;</li>
 *   <li>if the safepoint fell between them, both hold.</li>
 * </ul>
 * So at least one side sees the other's store, as with a fence on both sides. This is what HotSpot itself did to
 * spare its threads' state transitions a fence (the serialisation page). The Java Memory Model does not promise it:
 * it rests on HotSpot's safepoints, which {@code Thread.getAllStackTraces()} requires ("ThreadDump" in
 * {@code -Xlog:safepoint}, on JDK 17 and 25). The frequent side's accesses must be opaque or stronger, so that the
 * JIT neither hoists the load out of a loop nor moves either access across a poll.
 * <p>
 * {@link #AVAILABLE} is {@code false} on a JVM that is not HotSpot, or with {@code -Dringlink.asymmetricFence=false};
 * callers then fence both sides. A call takes 0.1&ndash;1 ms (more with many threads): for closes, never per message.
 */
public final class AsymmetricFence
{
    /** The system property that turns the asymmetric fence off ({@code false}): both sides then fence. */
    public static final String PROPERTY = "ringlink.asymmetricFence";

    /** Whether {@link #serialise()} may be relied on in this JVM. */
    public static final boolean AVAILABLE = available();

    private AsymmetricFence()
    {
    }

    /**
     * Brings every Java thread to a global safepoint and back: once this returns, every store another thread made
     * before its latest safepoint poll is visible to the caller, and every load another thread makes after its next
     * poll sees the caller's stores from before this call.
     */
    public static void serialise()
    {
        Thread.getAllStackTraces();
    }

    private static boolean available()
    {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true")))
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
            serialise();
            return true;
        }
        catch (final SecurityException ex)
        {
            return false;
        }
    }
}
