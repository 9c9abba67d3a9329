package io.ringlink.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * A file read like {@code tail -f} (the open file: {@code follow}) or {@code tail -F} (the name: {@code follow=name}):
 * at its end a read returns 0, never the end of input. A file that shrinks below the read position was truncated: it
 * is read again from its start and the truncation is reported (log {@value TextNotices#LOGGER} and
 * {@link #truncations()}). Following the name, a path that now names another file (rotation: {@code mv} and a new
 * file) is switched to once the old file is read to its end, and read from its start; while the name is missing the
 * old file is still read. Used by the pump thread only, except {@link #close()}.
 */
final class FollowedFile implements ReadableByteChannel
{
    private static final Logger LOG = LoggerFactory.getLogger(TextNotices.LOGGER);

    private final Path path;
    private final boolean byName;
    private final String name;
    private volatile FileChannel channel;
    private Object fileKey;
    private volatile long truncations;
    private volatile long rotations;
    private volatile boolean open = true;

    private FollowedFile(final Path path, final boolean byName, final String name, final FileChannel channel,
        final Object fileKey)
    {
        this.path = path;
        this.byName = byName;
        this.name = name;
        this.channel = channel;
        this.fileKey = fileKey;
    }

    /**
     * Opens the file.
     *
     * @param path   the file, which must exist.
     * @param byName follow the name across rotation rather than the open file.
     * @param name   the endpoint's name, for reports.
     * @return the channel.
     * @throws NoSuchFileException if the file does not exist.
     * @throws IOException         if it cannot be opened.
     */
    static FollowedFile open(final Path path, final boolean byName, final String name) throws IOException
    {
        while (true)
        {
            final Object before = fileKey(path);
            final FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            final Object after = fileKey(path);
            if (Objects.equals(before, after))
            {
                return new FollowedFile(path, byName, name, channel, after);
            }
            // Replaced between the two looks: which one is open is unknown, so open again.
            channel.close();
        }
    }

    private static Object fileKey(final Path path) throws IOException
    {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }

    /** How many times the file was found truncated. */
    long truncations()
    {
        return truncations;
    }

    /** How many times the name was found naming a new file, and followed there. */
    long rotations()
    {
        return rotations;
    }

    @Override
    public int read(final ByteBuffer dst) throws IOException
    {
        final FileChannel in = channel;
        final int read = in.read(dst);
        if (read > 0)
        {
            return read;
        }
        if (in.size() < in.position())
        {
            truncations++;
            LOG.warn("{}: file truncated; reading it again from its start", name);
            in.position(0);
            return Math.max(0, in.read(dst));
        }
        if (byName)
        {
            return followName(in, dst);
        }
        return 0;
    }

    /** At the end of the open file: if the name now names another file, moves there and reads from its start. */
    private int followName(final FileChannel in, final ByteBuffer dst) throws IOException
    {
        final Object current;
        try
        {
            current = fileKey(path);
        }
        catch (final NoSuchFileException ex)
        {
            // Renamed away and not made again yet: the old file may still grow.
            return 0;
        }
        if (current == null || current.equals(fileKey))
        {
            return 0;
        }
        // Whatever reached the old file before the switch is read first.
        final int late = in.read(dst);
        if (late > 0)
        {
            return late;
        }
        final FileChannel next;
        try
        {
            next = FileChannel.open(path, StandardOpenOption.READ);
        }
        catch (final NoSuchFileException ex)
        {
            return 0;
        }
        final Object opened = fileKey(path);
        synchronized (this)
        {
            if (!open)
            {
                next.close();
                return 0;
            }
            channel = next;
        }
        fileKey = opened;
        rotations++;
        in.close();
        LOG.warn("{}: the name now names a new file; following it", name);
        return Math.max(0, next.read(dst));
    }

    @Override
    public boolean isOpen()
    {
        return open;
    }

    @Override
    public synchronized void close() throws IOException
    {
        open = false;
        channel.close();
    }
}
