package io.ringlink.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Creates the files and directories RingLink makes: directories {@code 0700}, files {@code 0600}, whatever the
 * process umask. A mode given at creation is masked by the umask (which may also take bits from the owner), so each
 * new file or directory is created with the mode and then set to it exactly. Directories are made one level at a
 * time, so that every missing parent is owner-only too; what exists already is left as it is. On a file system
 * without POSIX permissions, modes are skipped.
 * <p>
 * For files another library creates (Chronicle's cycle files), {@link #restrict(Path)} sets the mode afterwards; in a
 * directory this class made, nobody else can reach them in between.
 */
public final class OwnerOnlyFiles
{
    /** Mode of every directory RingLink creates: {@code rwx------}. */
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** Mode of every file RingLink creates: {@code rw-------}. */
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private static final int OPEN_ATTEMPTS = 3;

    private OwnerOnlyFiles()
    {
    }

    /**
     * Creates a directory and each missing parent, one level at a time, each {@code 0700}; an existing directory is
     * left as it is, also one another process creates at the same time.
     *
     * @param directory the directory.
     * @return the number of directories created.
     * @throws FileAlreadyExistsException if it or a parent exists and is not a directory.
     * @throws IOException                if a level cannot be created.
     */
    public static int createDirectories(final Path directory) throws IOException
    {
        final Deque<Path> missing = new ArrayDeque<>();
        for (Path level = directory.toAbsolutePath().normalize(); level != null && !Files.isDirectory(level);
            level = level.getParent())
        {
            missing.push(level);
        }
        int created = 0;
        while (!missing.isEmpty())
        {
            final Path level = missing.pop();
            try
            {
                Files.createDirectory(level, attributes(level, DIRECTORY));
            }
            catch (final FileAlreadyExistsException ex)
            {
                if (!Files.isDirectory(level))
                {
                    throw ex;
                }
                continue;
            }
            setMode(level, DIRECTORY);
            created++;
        }
        return created;
    }

    /**
     * Opens a file, creating it {@code 0600} if it does not exist; an existing file keeps its mode.
     *
     * @param file    the file.
     * @param options how to open it, as {@link FileChannel#open(Path, OpenOption...)}, without {@code CREATE}.
     * @return the channel.
     * @throws IOException if it can be neither created nor opened.
     */
    public static FileChannel openOrCreate(final Path file, final OpenOption... options) throws IOException
    {
        final Set<OpenOption> existing = new HashSet<>(List.of(options));
        existing.remove(StandardOpenOption.CREATE);
        existing.remove(StandardOpenOption.CREATE_NEW);
        final Set<OpenOption> create = new HashSet<>(existing);
        create.add(StandardOpenOption.CREATE_NEW);
        NoSuchFileException vanished = null;
        for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++)
        {
            try
            {
                final FileChannel channel = FileChannel.open(file, create, attributes(file, FILE));
                setMode(file, FILE);
                return channel;
            }
            catch (final FileAlreadyExistsException ex)
            {
                try
                {
                    return FileChannel.open(file, existing);
                }
                catch (final NoSuchFileException removed)
                {
                    // Deleted between the two opens: create it again.
                    vanished = removed;
                }
            }
        }
        throw vanished;
    }

    /**
     * Sets a file this process made to {@code 0600}, or a directory to {@code 0700}, without following a symbolic
     * link.
     *
     * @param path the file or directory.
     * @throws IOException if its mode cannot be set.
     */
    public static void restrict(final Path path) throws IOException
    {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS))
        {
            setMode(path, DIRECTORY);
        }
        else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
        {
            setMode(path, FILE);
        }
    }

    private static void setMode(final Path path, final Set<PosixFilePermission> mode) throws IOException
    {
        if (isPosix(path) && !Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(mode))
        {
            Files.setPosixFilePermissions(path, mode);
        }
    }

    private static FileAttribute<?>[] attributes(final Path path, final Set<PosixFilePermission> mode)
    {
        return isPosix(path) ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(mode)} :
            new FileAttribute<?>[0];
    }

    private static boolean isPosix(final Path path)
    {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
