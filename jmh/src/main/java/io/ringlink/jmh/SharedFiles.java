package io.ringlink.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Files the cross-JVM benchmarks share with their echo process: an owner-only (0700) directory, in {@code /dev/shm}
 * when the machine has it (memory, as a user of Agrona would pick), holding owner-only (0600) mapped files.
 */
final class SharedFiles
{
    private static final Path SHM = Path.of("/dev/shm");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private SharedFiles()
    {
    }

    /** A new owner-only directory for one benchmark trial. */
    static Path createDirectory() throws IOException
    {
        final Path base = Files.isDirectory(SHM) && Files.isWritable(SHM) ? SHM : Path.of(System.getProperty(
            "java.io.tmpdir"));
        return POSIX ?
            Files.createTempDirectory(base, "ringlink-jmh-", permissions("rwx------")) :
            Files.createTempDirectory(base, "ringlink-jmh-");
    }

    /** Creates an owner-only file of {@code length} zero bytes and maps it read-write. */
    static MappedByteBuffer mapNew(final Path file, final int length) throws IOException
    {
        final FileAttribute<?>[] attributes = POSIX ?
            new FileAttribute<?>[] {permissions("rw-------")} : new FileAttribute<?>[0];
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ, StandardOpenOption.WRITE), attributes))
        {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
        }
    }

    /** Maps an existing file read-write, whole. */
    static MappedByteBuffer mapExisting(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
        }
    }

    /** Deletes a directory and everything under it. */
    static void deleteTree(final Path directory)
    {
        if (directory == null || !Files.exists(directory))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("could not delete " + directory, ex);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> permissions(final String permissions)
    {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions));
    }
}
