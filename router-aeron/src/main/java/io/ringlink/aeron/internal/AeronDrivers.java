package io.ringlink.aeron.internal;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.ArchivingMediaDriver;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.DriverTimeoutException;
import io.ringlink.spi.EndpointUri;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

/**
 * The media drivers and Aeron clients of this JVM's {@code aeron:} endpoints, shared and reference counted: every
 * endpoint on one driver directory shares one {@link Aeron} client (and, for an embedded driver, one
 * {@link MediaDriver}), and the last endpoint to close closes them, which deletes an embedded driver's directory.
 * <p>
 * An embedded driver runs {@link ThreadingMode#SHARED} (one thread that backs off to parking when idle, unless
 * {@value #IDLE_PROP_NAME} says otherwise) in
 * {@code /dev/shm/ringlink-aeron-<user>-<pid>} unless {@value #DIR_PROP_NAME} or the URI's {@code dir=} names
 * another directory, with terms of {@value #TERM_LENGTH_PROP_NAME} ({@link #TERM_LENGTH_DEFAULT} bytes by default)
 * instead of Aeron's 16 MiB (UDP) and 64 MiB (IPC).
 */
public final class AeronDrivers
{
    /**
     * System property: the default directory of embedded drivers.
     */
    public static final String DIR_PROP_NAME = "ringlink.aeron.dir";

    /**
     * System property: the term length of embedded drivers' publications (a size; a power of two, 64k to 1g).
     */
    public static final String TERM_LENGTH_PROP_NAME = "ringlink.aeron.term-length";

    /**
     * System property: how an embedded driver's thread idles: {@code backoff} (the default: spins, yields, then parks
     * up to 1 ms, so an idle driver costs almost no CPU), {@code yielding} or {@code busy-spin} (lowest latency, a core
     * per driver).
     */
    public static final String IDLE_PROP_NAME = "ringlink.aeron.idle";

    /**
     * Term length of embedded drivers' publications when {@value #TERM_LENGTH_PROP_NAME} is not set: 1 MiB, so a
     * publication maps 3 MiB and its longest message is 128 KiB.
     */
    public static final int TERM_LENGTH_DEFAULT = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(AeronDrivers.class);
    private static final Map<String, Shared> SHARED = new HashMap<>();

    private AeronDrivers()
    {
    }

    /**
     * Takes a reference on the driver and client an endpoint uses, starting or connecting them if needed.
     *
     * @param endpoint the endpoint.
     * @return the reference; close it once.
     * @throws IOException if no driver runs in an external driver's directory, or an embedded one cannot start.
     */
    public static Handle acquire(final AeronEndpoint endpoint) throws IOException
    {
        final String dir = directory(endpoint);
        synchronized (SHARED)
        {
            Shared shared = SHARED.get(dir);
            if (shared == null)
            {
                shared = endpoint.external() ? connect(endpoint, dir) : embed(endpoint, dir);
                SHARED.put(dir, shared);
            }
            else if (shared.embedded == endpoint.external())
            {
                throw new IllegalArgumentException("endpoint URI '" + endpoint.uri() + "' asks for an " +
                    (endpoint.external() ? "external" : "embedded") + " driver in " + dir + ", where this JVM runs " +
                    (shared.embedded ? "an embedded" : "a connection to an external") + " one");
            }
            if (endpoint.archiveDir() != null && (shared.archive == null ||
                !shared.archive.archiveDir().toPath().toAbsolutePath().normalize().equals(
                Path.of(endpoint.archiveDir()).toAbsolutePath().normalize())))
            {
                throw new IllegalArgumentException("endpoint URI '" + endpoint.uri() + "' asks for an Archive in " +
                    endpoint.archiveDir() + ", but this JVM's driver in " + dir + " already runs " +
                    (shared.archive == null ? "without one" : "one in " + shared.archive.archiveDir()) +
                    "; open the archive= endpoint first, or give it its own dir=");
            }
            shared.references++;
            return new Handle(shared);
        }
    }

    /**
     * Whether this JVM has a driver or client open on a directory (for tests).
     *
     * @param dir the directory.
     * @return {@code true} while an endpoint uses it.
     */
    public static boolean isOpen(final String dir)
    {
        synchronized (SHARED)
        {
            return SHARED.containsKey(Path.of(dir).toAbsolutePath().normalize().toString());
        }
    }

    /**
     * The directory of the driver an endpoint uses.
     *
     * @param endpoint the endpoint.
     * @return the absolute directory.
     */
    public static String directory(final AeronEndpoint endpoint)
    {
        final String dir;
        if (endpoint.dir() != null)
        {
            dir = endpoint.dir();
        }
        else if (endpoint.external())
        {
            final String env = System.getenv("AERON_DIR");
            dir = env != null && !env.isBlank() ? env : CommonContext.getAeronDirectoryName();
        }
        else
        {
            dir = defaultEmbeddedDirectory();
        }
        return Path.of(dir).toAbsolutePath().normalize().toString();
    }

    /**
     * The directory this JVM's embedded driver uses unless a URI names one.
     *
     * @return the directory.
     */
    public static String defaultEmbeddedDirectory()
    {
        final String property = System.getProperty(DIR_PROP_NAME);
        if (property != null && !property.isBlank())
        {
            return property;
        }
        final Path shm = Path.of("/dev/shm");
        final Path parent = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return parent.resolve("ringlink-aeron-" + System.getProperty("user.name") + "-" +
            ProcessHandle.current().pid()).toString();
    }

    private static int termLength()
    {
        final String property = System.getProperty(TERM_LENGTH_PROP_NAME);
        return property == null ? TERM_LENGTH_DEFAULT : (int)EndpointUri.parseSize(TERM_LENGTH_PROP_NAME, property);
    }

    private static IdleStrategy idleStrategy()
    {
        final String idle = System.getProperty(IDLE_PROP_NAME, "backoff");
        return switch (idle)
        {
            case "backoff" -> new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
            case "yielding" -> new YieldingIdleStrategy();
            case "busy-spin" -> new BusySpinIdleStrategy();
            default -> throw new IllegalArgumentException(IDLE_PROP_NAME + "=" + idle +
                " is not backoff, yielding or busy-spin");
        };
    }

    private static Shared embed(final AeronEndpoint endpoint, final String dir) throws IOException
    {
        final int termLength = termLength();
        final MediaDriver.Context context = new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .publicationTermBufferLength(termLength)
            .ipcTermBufferLength(termLength)
            .sharedIdleStrategy(idleStrategy())
            .errorHandler((throwable) -> LOG.warn("Aeron media driver in {}: {}", dir, throwable.toString(),
                throwable));
        final Archive.Context archive = endpoint.archiveDir() == null ? null : archiveContext(endpoint, dir);
        final AutoCloseable driver;
        try
        {
            driver = archive == null ? MediaDriver.launch(context) : ArchivingMediaDriver.launch(context, archive);
        }
        catch (final RuntimeException ex)
        {
            context.close();
            throw new IOException("endpoint URI '" + endpoint.uri() + "': cannot start an embedded Aeron media " +
                "driver in " + dir + " (" + ex + "); if another process runs a driver there, use driver=external", ex);
        }
        restrict(dir);
        LOG.info("started an embedded Aeron media driver in {} (term length {})", dir, termLength);
        try
        {
            return new Shared(dir, driver, archive, client(dir, endpoint));
        }
        catch (final IOException | RuntimeException ex)
        {
            quietClose(driver);
            throw ex;
        }
    }

    private static Archive.Context archiveContext(final AeronEndpoint endpoint, final String dir) throws IOException
    {
        final Path archiveDir = Path.of(endpoint.archiveDir()).toAbsolutePath();
        Files.createDirectories(archiveDir);
        restrict(archiveDir.toString());
        final Archive.Context archive = new Archive.Context()
            .aeronDirectoryName(dir)
            .archiveDir(new File(archiveDir.toString()))
            .threadingMode(ArchiveThreadingMode.SHARED)
            .recordingEventsEnabled(false)
            .deleteArchiveOnStart(false)
            .errorHandler((throwable) -> LOG.warn("Aeron Archive in {}: {}", archiveDir, throwable.toString(),
                throwable));
        if (endpoint.control() == null)
        {
            archive.controlChannelEnabled(false).replicationChannel("aeron:udp?endpoint=localhost:0");
        }
        else
        {
            final String host = endpoint.control().substring(0, endpoint.control().lastIndexOf(':'));
            archive.controlChannel("aeron:udp?endpoint=" + endpoint.control())
                .replicationChannel("aeron:udp?endpoint=" + host + ":0");
        }
        return archive;
    }

    private static void quietClose(final AutoCloseable closeable)
    {
        try
        {
            closeable.close();
        }
        catch (final Exception ex)
        {
            LOG.warn("closing {} failed: {}", closeable, ex.toString());
        }
    }

    private static Shared connect(final AeronEndpoint endpoint, final String dir) throws IOException
    {
        if (!Files.exists(Path.of(dir, "cnc.dat")))
        {
            throw new IOException("endpoint URI '" + endpoint.uri() + "': no Aeron media driver runs in " + dir +
                " (no cnc.dat); start one, or set dir= or AERON_DIR");
        }
        if (endpoint.archiveDir() != null)
        {
            throw new IllegalArgumentException("endpoint URI '" + endpoint.uri() + "': archive= needs the embedded " +
                "driver (an external driver's host runs its own Archive)");
        }
        return new Shared(dir, null, null, client(dir, endpoint));
    }

    private static Aeron client(final String dir, final AeronEndpoint endpoint) throws IOException
    {
        try
        {
            return Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(dir)
                .errorHandler((throwable) -> LOG.warn("Aeron client of {}: {}", dir, throwable.toString(),
                    throwable)));
        }
        catch (final DriverTimeoutException | IllegalStateException ex)
        {
            throw new IOException("endpoint URI '" + endpoint.uri() + "': cannot connect to the Aeron media driver " +
                "in " + dir + ": " + ex.getMessage(), ex);
        }
    }

    private static void restrict(final String dir)
    {
        try
        {
            Files.setPosixFilePermissions(Path.of(dir), PosixFilePermissions.fromString("rwx------"));
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            LOG.warn("cannot make {} owner-only: {}", dir, ex.toString());
        }
    }

    /**
     * A driver directory's client and, when embedded, its driver.
     */
    private static final class Shared
    {
        private final String dir;
        private final AutoCloseable driver;
        private final Archive.Context archive;
        private final Aeron aeron;
        private final boolean embedded;
        private int references;

        private Shared(final String dir, final AutoCloseable driver, final Archive.Context archive, final Aeron aeron)
        {
            this.dir = dir;
            this.driver = driver;
            this.archive = archive;
            this.aeron = aeron;
            this.embedded = driver != null;
        }
    }

    /**
     * One endpoint's reference on a shared client (and driver).
     */
    public static final class Handle implements AutoCloseable
    {
        private final Shared shared;
        private boolean closed;

        private Handle(final Shared shared)
        {
            this.shared = shared;
        }

        /**
         * The shared client.
         *
         * @return the client.
         */
        public Aeron aeron()
        {
            return shared.aeron;
        }

        /**
         * The context of the Archive this JVM's driver runs, or {@code null} when it runs none.
         *
         * @return the Archive's context.
         */
        public Archive.Context archive()
        {
            return shared.archive;
        }

        /**
         * The driver's directory.
         *
         * @return the directory.
         */
        public String directory()
        {
            return shared.dir;
        }

        /**
         * Whether this JVM embeds the driver.
         *
         * @return {@code true} when embedded.
         */
        public boolean embedded()
        {
            return shared.embedded;
        }

        /**
         * Drops the reference; the last one closes the client and an embedded driver (deleting its directory).
         */
        @Override
        public void close()
        {
            synchronized (SHARED)
            {
                if (closed)
                {
                    return;
                }
                closed = true;
                if (--shared.references > 0)
                {
                    return;
                }
                SHARED.remove(shared.dir);
                shared.aeron.close();
                if (shared.driver != null)
                {
                    quietClose(shared.driver);
                    LOG.info("closed the embedded Aeron media driver in {}", shared.dir);
                }
            }
        }
    }
}
