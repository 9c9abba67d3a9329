package io.ringlink.offheap.internal;

import io.ringlink.internal.OwnerOnlyFiles;
import io.ringlink.offheap.RingFileException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What the ring file ({@link RingFiles}) and the pipe file ({@link PipeFiles}) do alike: both are written whole
 * beside their place and linked into it, both start with an 8-byte magic and a 4-byte format version and carry a
 * codec name of printable ASCII. Reading never creates: a missing file is a {@link RingFileException}.
 */
final class HeaderFiles
{
    /** Where the magic is, in both formats. */
    static final int MAGIC_OFFSET = 0;
    /** Where the format version is, in both formats. */
    static final int VERSION_OFFSET = 8;

    /** A file's header bytes, checked up to its version, and the file's length. */
    record Read(ByteBuffer header, long length)
    {
    }

    private HeaderFiles()
    {
    }

    /**
     * Reads a file's header and checks that it exists, is a regular file, starts with the magic, is at least a header
     * long and has this format version.
     *
     * @param path         the file.
     * @param headerLength the format's header length.
     * @param magic        the format's magic.
     * @param what         what the file should be, for messages ("ring", "pipe").
     * @param magicName    the magic as text, for messages.
     * @param version      the format version this library reads.
     * @return the header (native byte order) and the file's length.
     * @throws RingFileException naming the file and the problem.
     * @throws IOException       if the file cannot be read.
     */
    static Read read(
        final Path path,
        final int headerLength,
        final long magic,
        final String what,
        final String magicName,
        final int version) throws IOException
    {
        if (!Files.exists(path))
        {
            throw new RingFileException(path, "does not exist");
        }
        if (!Files.isRegularFile(path))
        {
            throw new RingFileException(path, "is not a regular file");
        }
        final ByteBuffer header = ByteBuffer.allocate(headerLength).order(ByteOrder.nativeOrder());
        final long length;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            length = channel.size();
            while (header.hasRemaining() && channel.read(header, header.position()) > 0)
            {
                continue;
            }
        }
        if (length < Long.BYTES || header.getLong(MAGIC_OFFSET) != magic)
        {
            throw new RingFileException(path, "is not a " + what + " file (it does not start with the " + magicName +
                " magic)");
        }
        if (length < headerLength)
        {
            throw new RingFileException(path, "is truncated: " + length + " bytes, shorter than the " +
                headerLength + "-byte header");
        }
        final int found = header.getInt(VERSION_OFFSET);
        if (found != version)
        {
            throw new RingFileException(path, "has format version " + found + "; this library reads version " +
                version);
        }
        return new Read(header, length);
    }

    /**
     * A new file's temporary name beside it (its directory made, owner-only, if missing): the file is written there
     * whole, then linked into place, so no reader ever maps half a header.
     *
     * @param file the file to create, absolute.
     * @return the temporary path, unique to this process and moment.
     * @throws IOException if the directory cannot be made.
     */
    static Path temporaryBeside(final Path file) throws IOException
    {
        final Path directory = file.getParent();
        if (!Files.isDirectory(directory))
        {
            OwnerOnlyFiles.createDirectories(directory);
        }
        return directory.resolve("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" +
            System.nanoTime());
    }

    /**
     * Puts a written temporary file in place without replacing one that exists: a hard link (atomic), or a move
     * where the file system has no links.
     *
     * @param temporary the written file.
     * @param file      where it goes.
     * @param hint      what to do instead when the file exists, for the message.
     * @throws RingFileException if the file exists.
     * @throws IOException       if linking failed.
     */
    static void linkIntoPlace(final Path temporary, final Path file, final String hint) throws IOException
    {
        try
        {
            try
            {
                Files.createLink(file, temporary);
            }
            catch (final UnsupportedOperationException ex)
            {
                Files.move(temporary, file);
            }
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new RingFileException(file, "already exists; " + hint);
        }
    }

    /**
     * The codec name a header holds: a length from 1 to {@code maxLength}, then that many printable ASCII bytes.
     *
     * @param path         the file, for messages.
     * @param header       its header.
     * @param lengthOffset where the name's length is.
     * @param nameOffset   where the name is.
     * @param maxLength    the longest name the format holds.
     * @return the name.
     * @throws RingFileException if the length or the bytes are corrupt.
     */
    static String codecName(
        final Path path, final ByteBuffer header, final int lengthOffset, final int nameOffset, final int maxLength)
        throws RingFileException
    {
        final int length = header.getInt(lengthOffset);
        if (length < 1 || length > maxLength)
        {
            throw new RingFileException(path, "has a corrupt codec name length " + length + " (1 to " + maxLength +
                ")");
        }
        final byte[] name = new byte[length];
        header.get(nameOffset, name);
        for (final byte b : name)
        {
            if (b < ' ' || b > '~')
            {
                throw new RingFileException(path, "has a corrupt codec name (not printable ASCII)");
            }
        }
        return new String(name, StandardCharsets.US_ASCII);
    }
}
