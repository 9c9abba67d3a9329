package io.ringlink.offheap.internal.chronicle;

import io.ringlink.internal.OwnerOnlyFiles;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import net.openhft.chronicle.queue.rollcycles.SparseRollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Opens Chronicle queues the RingLink way and checks, before Chronicle is touched, that the JVM runs with the flags
 * Chronicle needs on Java 17+.
 * <p>
 * Without them Chronicle fails deep inside with misleading errors ("Can't append to a read-only chronicle",
 * {@code IllegalAccessError}); {@link #checkJvmFlags()} names the missing flags instead. The full list, with the
 * JDK 24+ ones that only silence warnings, is in {@code docs/jvm-flags.txt}.
 */
public final class ChronicleSupport
{
    /** System property that stops Chronicle from calling home and writing into the user's home directory. */
    public static final String ANALYTICS_DISABLE_PROP_NAME = "chronicle.analytics.disable";

    /**
     * System property where JNA (loaded by Chronicle) unpacks its native library; unset, JNA creates
     * {@code ~/.cache/JNA/temp} in the user's home directory.
     */
    public static final String JNA_TMPDIR_PROP_NAME = "jna.tmpdir";

    /** The file every Chronicle queue directory holds from its creation on: the table store of its metadata. */
    public static final String METADATA_FILE = "metadata.cq4t";

    /**
     * Module flags Agrona and Chronicle Queue cannot work without (measured on JDK 17.0.15 and 25.0.3): the flag, the
     * java.base package it exports or opens, how, and a class of the library that needs it.
     */
    private static final String[][] REQUIRED = {
        {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "jdk.internal.misc", "export",
            "org.agrona.DirectBuffer"},
        {"--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "sun.nio.ch", "export",
            "net.openhft.chronicle.queue.ChronicleQueue"},
        {"--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "java.lang.reflect", "open",
            "net.openhft.chronicle.queue.ChronicleQueue"},
        {"--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "jdk.internal.ref", "export",
            "net.openhft.chronicle.queue.ChronicleQueue"},
    };

    private ChronicleSupport()
    {
    }

    /**
     * The required module flags this JVM lacks, in the form they are given on the command line.
     *
     * @return the missing flags, empty when all are present.
     */
    public static List<String> missingJvmFlags()
    {
        final Module base = Object.class.getModule();
        final List<String> missing = new ArrayList<>();
        for (final String[] required : REQUIRED)
        {
            final Module user = moduleOf(required[3]);
            final boolean present = required[2].equals("open") ?
                base.isOpen(required[1], user) : base.isExported(required[1], user);
            if (!present)
            {
                missing.add(required[0]);
            }
        }
        return missing;
    }

    /** The module of a class, loaded without initialising it (so without touching what the flags guard). */
    private static Module moduleOf(final String className)
    {
        try
        {
            return Class.forName(className, false, ChronicleSupport.class.getClassLoader()).getModule();
        }
        catch (final ClassNotFoundException ex)
        {
            throw new IllegalStateException("RingLink's Chronicle links need " + className + " on the class path", ex);
        }
    }

    /**
     * Fails early, naming the missing flags, when the JVM lacks what Chronicle needs. Also keeps Chronicle out of the
     * user's home directory: sets {@value #ANALYTICS_DISABLE_PROP_NAME} to {@code true} and
     * {@value #JNA_TMPDIR_PROP_NAME} to {@code java.io.tmpdir} when nobody set them.
     *
     * @throws IllegalStateException naming every missing flag and where the full list is documented.
     */
    public static void checkJvmFlags()
    {
        if (System.getProperty(ANALYTICS_DISABLE_PROP_NAME) == null)
        {
            System.setProperty(ANALYTICS_DISABLE_PROP_NAME, "true");
        }
        if (System.getProperty(JNA_TMPDIR_PROP_NAME) == null)
        {
            System.setProperty(JNA_TMPDIR_PROP_NAME, System.getProperty("java.io.tmpdir"));
        }
        final List<String> missing = missingJvmFlags();
        if (!missing.isEmpty())
        {
            throw new IllegalStateException("Chronicle Queue needs JVM flags that this JVM (Java " +
                Runtime.version().feature() + ") was started without: " + String.join(" ", missing) +
                ". Add them to the java command line (the full list is in docs/jvm-flags.txt, see " +
                "docs/guide-chronicle.md).");
        }
    }

    /**
     * A roll cycle by its Chronicle name, case-insensitive: {@code FAST_DAILY}, {@code FAST_HOURLY},
     * {@code FIVE_MINUTELY}, {@code TEST_SECONDLY} (for tests), and the other constants of Chronicle's roll cycle
     * enums.
     *
     * @param name the name.
     * @return the roll cycle.
     * @throws IllegalArgumentException naming the value when it is unknown.
     */
    public static RollCycle rollCycle(final String name)
    {
        final String wanted = name.trim().toUpperCase(Locale.ROOT);
        final List<String> known = new ArrayList<>();
        final Enum<?>[][] all = {
            RollCycles.values(), LegacyRollCycles.values(), LargeRollCycles.values(), SparseRollCycles.values(),
            TestRollCycles.values(),
        };
        for (final Enum<?>[] cycles : all)
        {
            for (final Enum<?> cycle : cycles)
            {
                if (cycle.name().equals(wanted))
                {
                    return (RollCycle)cycle;
                }
                known.add(cycle.name().toLowerCase(Locale.ROOT));
            }
        }
        throw new IllegalArgumentException("unknown roll cycle '" + name + "'; known: " + String.join(", ", known));
    }

    /**
     * Creates the directory and its missing parents owner-only (0700), whatever the umask; existing ones are left
     * as they are.
     *
     * @param dir the queue directory.
     * @throws IllegalArgumentException if it exists and is not a directory, naming it.
     * @throws IOException              if it cannot be created.
     */
    public static void ensureDirectory(final Path dir) throws IOException
    {
        if (Files.exists(dir) && !Files.isDirectory(dir))
        {
            throw notAQueue(dir, "a file, not a directory");
        }
        OwnerOnlyFiles.createDirectories(dir);
    }

    /**
     * Checks, without creating or changing anything, that {@code dir} holds a Chronicle queue: what a reader needs
     * before Chronicle is asked to open it (Chronicle would make the directory and its metadata).
     *
     * @param dir the queue directory.
     * @throws NoSuchFileException      if it does not exist (reason {@code "no such queue"}).
     * @throws IllegalArgumentException if it is not a directory holding a queue's {@value #METADATA_FILE}, naming it.
     */
    public static void requireQueue(final Path dir) throws NoSuchFileException
    {
        if (!Files.exists(dir))
        {
            throw new NoSuchFileException(dir.toString(), null, "no such queue");
        }
        if (!Files.isDirectory(dir))
        {
            throw notAQueue(dir, "a file, not a directory");
        }
        if (!Files.isRegularFile(dir.resolve(METADATA_FILE)))
        {
            throw notAQueue(dir, "no " + METADATA_FILE + " in it");
        }
    }

    private static IllegalArgumentException notAQueue(final Path dir, final String why)
    {
        return new IllegalArgumentException(dir + " is not a chronicle: queue (" + why + ")");
    }

    /**
     * Opens a queue in {@code dir}: for a writer, creating it if needed (directories owner-only); for a reader, only
     * an existing queue, creating nothing. An existing queue keeps the roll cycle it was created with.
     *
     * @param dir       the directory.
     * @param rollCycle the roll cycle for a new queue.
     * @param listener  told when cycle files are acquired and released.
     * @param create    whether a missing queue is created (a writer) or refused (a reader).
     * @return the queue.
     * @throws NoSuchFileException      if a reader's queue does not exist.
     * @throws IllegalArgumentException if the path is not a queue (a reader) or not a directory (either).
     * @throws IOException              if the directory cannot be created.
     */
    public static SingleChronicleQueue open(
        final Path dir, final RollCycle rollCycle, final StoreFileListener listener, final boolean create)
        throws IOException
    {
        checkJvmFlags();
        if (create)
        {
            ensureDirectory(dir);
        }
        else
        {
            requireQueue(dir);
        }
        return SingleChronicleQueueBuilder.binary(dir)
            .rollCycle(rollCycle)
            .storeFileListener(listener)
            .build();
    }
}
