package io.ringlink.offheap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What tests look at from outside a ring: this process's mappings and descriptors of a file, and a directory's files.
 */
final class RingFileTestSupport
{
    private RingFileTestSupport()
    {
    }

    static long mappingsOf(final Path file) throws IOException
    {
        final String name = file.toAbsolutePath().toString();
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps")))
        {
            return lines.filter((line) -> line.endsWith(name)).count();
        }
    }

    static long descriptorsOf(final Path file) throws IOException
    {
        final Path target = file.toAbsolutePath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd")))
        {
            return fds.filter((fd) -> target.equals(readLink(fd))).count();
        }
    }

    private static Path readLink(final Path fd)
    {
        try
        {
            return Files.readSymbolicLink(fd);
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    static List<String> fileNames(final Path directory)
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.map((file) -> file.getFileName().toString()).sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
