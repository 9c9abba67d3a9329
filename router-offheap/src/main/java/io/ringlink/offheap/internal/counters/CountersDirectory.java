package io.ringlink.offheap.internal.counters;

import io.ringlink.internal.OwnerOnlyFiles;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;

/**
 * Where counters files live: {@code /dev/shm/ringlink-<user>/}, or {@code <java.io.tmpdir>/ringlink-<user>/} where
 * there is no writable {@code /dev/shm}; the system property {@link #DIR_PROP_NAME} or the environment variable
 * {@link #DIR_ENV_NAME} name another directory (tests, several users sharing one account).
 */
public final class CountersDirectory
{
    /** System property naming the counters directory. */
    public static final String DIR_PROP_NAME = "ringlink.counters.dir";
    /** Environment variable naming the counters directory, when the system property is not set. */
    public static final String DIR_ENV_NAME = "RINGLINK_COUNTERS_DIR";

    private CountersDirectory()
    {
    }

    /**
     * The counters directory of this user, whether it exists or not.
     *
     * @return the directory.
     */
    public static Path path()
    {
        final String property = System.getProperty(DIR_PROP_NAME);
        if (property != null && !property.isBlank())
        {
            return Path.of(property).toAbsolutePath();
        }
        final String environment = System.getenv(DIR_ENV_NAME);
        if (environment != null && !environment.isBlank())
        {
            return Path.of(environment).toAbsolutePath();
        }
        return defaultPath(Path.of("/dev/shm"), Path.of(System.getProperty("java.io.tmpdir")),
            System.getProperty("user.name"));
    }

    /**
     * {@code <shm>/ringlink-<user>} when {@code shm} is a writable directory, else {@code <tmp>/ringlink-<user>}.
     *
     * @param shm  the shared-memory file system's mount point.
     * @param tmp  the fallback.
     * @param user the user's name.
     * @return the directory.
     */
    static Path defaultPath(final Path shm, final Path tmp, final String user)
    {
        final Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : tmp;
        return base.resolve("ringlink-" + user.replaceAll("[^A-Za-z0-9._-]", "_")).toAbsolutePath();
    }

    /**
     * Makes the directory if missing, and every missing parent, owner-only (0700) whatever the umask
     * ({@link OwnerOnlyFiles}); refuses one that is a symbolic link or belongs to another user, and takes away the
     * group's and others' rights on one that has them (existing parents are left as they are).
     *
     * @param directory the directory.
     * @return the directory.
     * @throws IOException if it cannot be made, or is not this user's.
     */
    static Path createOwnerOnly(final Path directory) throws IOException
    {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS))
        {
            // Every missing level 0700, the parents too (a router run under umask 000 made them 0777 before).
            OwnerOnlyFiles.createDirectories(directory);
        }
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS))
        {
            throw new IOException(directory + " is not a directory (or is a symbolic link): counters need their own");
        }
        if (isPosix(directory))
        {
            final UserPrincipal owner = Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS);
            final UserPrincipal me = FileSystems.getDefault().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
            if (!owner.equals(me))
            {
                throw new IOException(directory + " belongs to " + owner.getName() + ", not to " + me.getName());
            }
            if (!Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS).equals(OwnerOnlyFiles.DIRECTORY))
            {
                Files.setPosixFilePermissions(directory, OwnerOnlyFiles.DIRECTORY);
            }
        }
        return directory;
    }

    static boolean isPosix(final Path path)
    {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
