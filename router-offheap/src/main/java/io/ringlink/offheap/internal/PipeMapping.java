package io.ringlink.offheap.internal;

import io.ringlink.offheap.RingFileException;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

import static io.ringlink.offheap.internal.SharedPipeDescriptor.HEADER_LENGTH;

/**
 * A {@code SharedPipe} file mapped read-write, shared by the pipe object and the ends it took: each is one reference
 * ({@link #retain()}, {@link #release()}), and the last one to let go unmaps the file (and deletes it, if asked). No
 * descriptor stays open while it is mapped.
 */
public final class PipeMapping
{
    /**
     * Closes an end of the pipe.
     */
    @FunctionalInterface
    public interface EndCloser
    {
        /**
         * Closes it.
         *
         * @throws IOException if its close timed out or deleting the file failed.
         */
        void close() throws IOException;
    }

    private final Path path;
    private final PipeFiles.Header fileHeader;
    private final boolean deleteOnClose;
    private final MappedByteBuffer mapped;
    private final AtomicBuffer header;
    private final AtomicInteger references = new AtomicInteger(1);

    private PipeMapping(
        final Path path, final PipeFiles.Header fileHeader, final boolean deleteOnClose, final MappedByteBuffer mapped)
    {
        this.path = path;
        this.fileHeader = fileHeader;
        this.deleteOnClose = deleteOnClose;
        this.mapped = mapped;
        this.header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
    }

    /**
     * Maps a pipe file that {@link PipeFiles#validate(Path, String)} checked, checking its length again as it maps
     * it (a file replaced in between is refused). The caller holds the first reference.
     *
     * @param path          the pipe file.
     * @param fileHeader    what its header says.
     * @param deleteOnClose whether the last {@link #release()} deletes the file.
     * @return the mapping.
     * @throws RingFileException if the file's length does not match its header.
     * @throws IOException       if it cannot be mapped.
     */
    public static PipeMapping map(final Path path, final PipeFiles.Header fileHeader, final boolean deleteOnClose)
        throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final long length = fileHeader.fileLength();
            if (channel.size() != length)
            {
                throw new RingFileException(path, "changed length while being opened (" + channel.size() +
                    " bytes, " + length + " expected); was it replaced?");
            }
            return new PipeMapping(path, fileHeader, deleteOnClose,
                channel.map(FileChannel.MapMode.READ_WRITE, 0, length));
        }
    }

    /**
     * The pipe file.
     *
     * @return the path.
     */
    public Path path()
    {
        return path;
    }

    /**
     * What the file's header said when it was opened.
     *
     * @return the validated header.
     */
    public PipeFiles.Header fileHeader()
    {
        return fileHeader;
    }

    /**
     * The header's record of an end (holder, state, heartbeat) and of its peer.
     *
     * @param index 0 or 1.
     * @return a new role, not yet attached.
     */
    public PipeEndRole role(final int index)
    {
        return new PipeEndRole(header, path, index);
    }

    /**
     * The ring an end writes.
     *
     * @param writer 0 or 1; in a one-way pipe only end 1 writes.
     * @return a new view of that ring.
     */
    public PipeRing ring(final int writer)
    {
        return new PipeRing(mapped, writer, fileHeader.capacity());
    }

    /**
     * One more user of the mapping (an end).
     */
    public void retain()
    {
        references.incrementAndGet();
    }

    /**
     * The pipe object is done: closes the ends it took (either may be {@code null}), each even if the other failed,
     * then lets go of its own reference to the mapping.
     *
     * @param first  an end it took, or {@code null}.
     * @param second the other, or {@code null}.
     * @throws IOException the first failure, the others suppressed in it.
     */
    public void closeWith(final EndCloser first, final EndCloser second) throws IOException
    {
        IOException failure = closeQuietly(first, null);
        failure = closeQuietly(second, failure);
        try
        {
            release();
        }
        catch (final IOException ex)
        {
            failure = chain(failure, ex);
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    private static IOException closeQuietly(final EndCloser end, final IOException failure)
    {
        if (end != null)
        {
            try
            {
                end.close();
            }
            catch (final IOException ex)
            {
                return chain(failure, ex);
            }
        }
        return failure;
    }

    private static IOException chain(final IOException first, final IOException next)
    {
        if (first == null)
        {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    /**
     * One user of the mapping (the pipe object or an end) is done with it; the last one unmaps, then deletes the
     * file if asked.
     *
     * @throws IOException if deleting failed.
     */
    public void release() throws IOException
    {
        if (references.decrementAndGet() == 0)
        {
            IoUtil.unmap(mapped);
            if (deleteOnClose)
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
