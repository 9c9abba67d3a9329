package io.ringlink.offheap.internal;

import io.ringlink.offheap.RingFileException;
import org.agrona.IoUtil;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Maps a validated ring file ({@link RingFiles#validate(Path, String)}) and unmaps it: the file's length is checked
 * again against its capacity as it is mapped (a file replaced in between is refused), and no descriptor stays open
 * while it is mapped.
 */
public final class RingMapping
{
    private RingMapping()
    {
    }

    /**
     * Maps the whole file, read-write.
     *
     * @param path     the ring file.
     * @param capacity the capacity its header gave.
     * @return the mapping: header, records, trailer.
     * @throws RingFileException if the file's length does not match the capacity.
     * @throws IOException       if it cannot be mapped.
     */
    public static MappedByteBuffer map(final Path path, final int capacity) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final long length = IpcRingDescriptor.fileLength(capacity);
            if (channel.size() != length)
            {
                throw new RingFileException(path, "changed length while being opened (" + channel.size() +
                    " bytes, " + length + " expected); was it replaced?");
            }
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
        }
    }

    /**
     * Unmaps the file, then deletes it if asked.
     *
     * @param mapped the mapping; not to be used after.
     * @param path   the ring file.
     * @param delete whether to delete the file.
     * @throws IOException if deleting failed.
     */
    public static void unmap(final MappedByteBuffer mapped, final Path path, final boolean delete) throws IOException
    {
        IoUtil.unmap(mapped);
        if (delete)
        {
            Files.deleteIfExists(path);
        }
    }
}
