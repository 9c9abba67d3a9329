package io.ringlink.aeron.internal;

import org.agrona.IoUtil;
import org.agrona.collections.LongArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A replaying source's named position ({@code name=}), kept in a small memory-mapped file so that a store is a
 * single ordered write that survives the process being killed:
 * <pre>
 *   0                   8                   16                  24
 *   +-------------------+-------------------+-------------------+
 *   | magic             | recording id      | position          |
 *   +-------------------+-------------------+-------------------+
 * </pre>
 * The position is the stream position just after the last message every sink has passed; {@code -1} for none.
 */
public final class NamedPosition implements AutoCloseable
{
    /** The file's length. */
    public static final int LENGTH = 24;
    private static final long MAGIC = 0x534F505245414C52L;
    private static final int RECORDING_ID_OFFSET = 8;
    private static final int POSITION_OFFSET = 16;

    private final Path file;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer buffer;
    private final LongArrayQueue handed = new LongArrayQueue(1024, Long.MIN_VALUE);
    private long delivered;

    private NamedPosition(final Path file, final MappedByteBuffer mapped)
    {
        this.file = file;
        this.mapped = mapped;
        this.buffer = new UnsafeBuffer(mapped);
    }

    /**
     * Opens the position an endpoint names with {@code name=}, in its {@code positions=} directory (by default
     * {@code ~/.ringlink/aeron-positions}).
     *
     * @param endpoint the source's endpoint, with a name.
     * @return the position.
     * @throws UncheckedIOException     naming the URI if the file cannot be made or read.
     * @throws IllegalArgumentException naming the URI if the name is malformed.
     */
    public static NamedPosition open(final AeronEndpoint endpoint)
    {
        final Path dir = endpoint.positions() != null ? Path.of(endpoint.positions()) :
            Path.of(System.getProperty("user.home"), ".ringlink", "aeron-positions");
        try
        {
            return open(dir, endpoint.name());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("endpoint URI '" + endpoint.uri() + "': " + ex.getMessage(), ex);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("endpoint URI '" + endpoint.uri() + "': " + ex.getMessage(), ex);
        }
    }

    /**
     * Opens (or creates, owner-only) the position of a name.
     *
     * @param dir  the positions directory, created owner-only if absent.
     * @param name the name, letters, digits, {@code .}, {@code _} and {@code -} only.
     * @return the position.
     * @throws IOException              if the file cannot be made or is not a position file.
     * @throws IllegalArgumentException if the name has other characters.
     */
    public static NamedPosition open(final Path dir, final String name) throws IOException
    {
        if (!name.matches("[A-Za-z0-9._-]{1,100}") || name.startsWith("."))
        {
            throw new IllegalArgumentException("name='" + name + "' must be 1 to 100 letters, digits, '.', '_' or " +
                "'-', not starting with '.'");
        }
        if (!Files.isDirectory(dir))
        {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        }
        final Path file = dir.resolve(name + ".position");
        final boolean created = !Files.exists(file);
        if (created)
        {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final long size = channel.size();
            if (!created && size != LENGTH)
            {
                throw new IOException(file + " is not a RingLink aeron: position file (" + size + " bytes, not " +
                    LENGTH + ")");
            }
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, LENGTH);
            final NamedPosition position = new NamedPosition(file, mapped);
            if (created || size == 0)
            {
                position.buffer.putLong(RECORDING_ID_OFFSET, -1);
                position.buffer.putLong(POSITION_OFFSET, -1);
                position.buffer.putLongVolatile(0, MAGIC);
            }
            else if (position.buffer.getLongVolatile(0) != MAGIC)
            {
                position.close();
                throw new IOException(file + " is not a RingLink aeron: position file (bad magic)");
            }
            return position;
        }
    }

    /**
     * The recording the position belongs to.
     *
     * @return the recording id, {@code -1} for none.
     */
    public long recordingId()
    {
        return buffer.getLongVolatile(RECORDING_ID_OFFSET);
    }

    /**
     * The stored position.
     *
     * @return the position, {@code -1} for none.
     */
    public long position()
    {
        return buffer.getLongVolatile(POSITION_OFFSET);
    }

    /**
     * Starts a recording's position: the position first, then the recording it belongs to.
     *
     * @param recordingId the recording.
     * @param position    where its replay starts.
     */
    public void reset(final long recordingId, final long position)
    {
        buffer.putLongVolatile(POSITION_OFFSET, position);
        buffer.putLongVolatile(RECORDING_ID_OFFSET, recordingId);
    }

    /**
     * Stores a position in the current recording.
     *
     * @param position the position after the last message every sink passed.
     */
    public void store(final long position)
    {
        buffer.putLongRelease(POSITION_OFFSET, position);
    }

    /**
     * Notes where a message handed to the router ends, to store once every sink has it.
     *
     * @param position the stream position after the message.
     */
    public void onHanded(final long position)
    {
        handed.addLong(position);
    }

    /**
     * Stores the end of the last message every sink has passed.
     *
     * @param messages how many handed messages every sink has passed, counted from the first.
     */
    public void onDelivered(final long messages)
    {
        long position = Long.MIN_VALUE;
        while (delivered < messages && !handed.isEmpty())
        {
            position = handed.pollLong();
            delivered++;
        }
        if (position != Long.MIN_VALUE)
        {
            store(position);
        }
    }

    /**
     * The file.
     *
     * @return the path.
     */
    public Path file()
    {
        return file;
    }

    @Override
    public void close()
    {
        IoUtil.unmap(mapped);
    }
}
