package io.ringlink.offheap.internal;

import io.ringlink.internal.OwnerOnlyFiles;
import io.ringlink.offheap.RingFileException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static io.ringlink.offheap.internal.SharedPipeDescriptor.CAPACITY_OFFSET;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.CODEC_NAME_LENGTH_OFFSET;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.CODEC_NAME_MAX_LENGTH;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.CODEC_NAME_OFFSET;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.CREATION_TIME_OFFSET;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.CREATOR_PID_OFFSET;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.END_STATE_FIELD;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.FILE_LENGTH_OFFSET;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.FLAGS_OFFSET;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.FLAG_DUPLEX;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.FORMAT_VERSION;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.HEADER_LENGTH;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.HEADER_LENGTH_OFFSET;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.MAGIC;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.MAGIC_OFFSET;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.MAX_CAPACITY;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.MAX_MESSAGE_LENGTH_OFFSET;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.MIN_CAPACITY;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.RING_COUNT_OFFSET;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.RING_LENGTH_OFFSET;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.STATE_BROKEN;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.VERSION_OFFSET;

/**
 * Creates {@code SharedPipe} files atomically and owner-only ({@code 0600}, directories {@code 0700}, whatever the
 * umask), and validates a file's header, every length in it included, before anything maps it. Reading never creates.
 */
public final class PipeFiles
{
    private PipeFiles()
    {
    }

    /**
     * What a valid header says.
     *
     * @param duplex       whether both ends send and receive.
     * @param capacity     each ring's capacity in bytes.
     * @param codecName    name of the codec the messages are in.
     * @param creationTime epoch milliseconds.
     */
    public record Header(boolean duplex, int capacity, String codecName, long creationTime)
    {
        /**
         * How many rings the file holds.
         *
         * @return 2 for a duplex pipe, else 1.
         */
        public int ringCount()
        {
            return duplex ? 2 : 1;
        }

        /**
         * The file's length.
         *
         * @return bytes.
         */
        public long fileLength()
        {
            return SharedPipeDescriptor.fileLength(capacity, ringCount());
        }
    }

    /**
     * Checks a pipe's parameters.
     *
     * @param capacity  each ring's capacity.
     * @param codecName codec name.
     * @throws IllegalArgumentException naming the value and the limit.
     */
    public static void checkParameters(final int capacity, final String codecName)
    {
        RingFiles.checkParameters(capacity, codecName);
        if (capacity > MAX_CAPACITY)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " must be a power of two between " +
                MIN_CAPACITY + " and " + MAX_CAPACITY + " (two rings share one mapping)");
        }
    }

    /**
     * Writes a complete pipe file under a temporary name in the same directory, then links it into place, so that no
     * process ever maps a half-written header. Creates missing directories owner-only.
     *
     * @param path      the pipe file.
     * @param duplex    whether both ends send and receive.
     * @param capacity  each ring's capacity.
     * @param codecName codec name.
     * @throws RingFileException if the file exists.
     * @throws IOException       if writing failed.
     */
    public static void create(final Path path, final boolean duplex, final int capacity, final String codecName)
        throws IOException
    {
        checkParameters(capacity, codecName);
        final Path file = path.toAbsolutePath();
        final Path temporary = HeaderFiles.temporaryBeside(file);
        try
        {
            try (FileChannel channel = OwnerOnlyFiles.openOrCreate(temporary, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE))
            {
                final Header header = new Header(duplex, capacity, codecName, System.currentTimeMillis());
                channel.write(ByteBuffer.allocate(1), header.fileLength() - 1);
                channel.write(encode(header), 0);
            }
            HeaderFiles.linkIntoPlace(temporary, file, "open it, or delete it to make a new pipe");
        }
        finally
        {
            Files.deleteIfExists(temporary);
        }
    }

    private static ByteBuffer encode(final Header header)
    {
        final int capacity = header.capacity();
        return ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.nativeOrder())
            .putLong(MAGIC_OFFSET, MAGIC)
            .putInt(VERSION_OFFSET, FORMAT_VERSION)
            .putInt(FLAGS_OFFSET, header.duplex() ? FLAG_DUPLEX : 0)
            .putInt(CAPACITY_OFFSET, capacity)
            .putInt(MAX_MESSAGE_LENGTH_OFFSET, SharedPipeDescriptor.maxMessageLength(capacity))
            .putInt(CODEC_NAME_LENGTH_OFFSET, header.codecName().length())
            .put(CODEC_NAME_OFFSET, header.codecName().getBytes(StandardCharsets.US_ASCII))
            .putInt(RING_COUNT_OFFSET, header.ringCount())
            .putLong(CREATION_TIME_OFFSET, header.creationTime())
            .putLong(CREATOR_PID_OFFSET, ProcessHandle.current().pid())
            .putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH)
            .putInt(RING_LENGTH_OFFSET, SharedPipeDescriptor.ringLength(capacity))
            .putLong(FILE_LENGTH_OFFSET, header.fileLength());
    }

    /**
     * Reads and checks a pipe file's header with plain reads, without modifying or mapping the file: magic, version,
     * flags, capacity, every length, the codec name and the ends' states.
     *
     * @param path          the file.
     * @param expectedCodec the codec name the caller expects, or {@code null} for any.
     * @return the header.
     * @throws RingFileException naming the file and the problem.
     * @throws IOException       if the file cannot be read.
     */
    public static Header validate(final Path path, final String expectedCodec) throws IOException
    {
        final HeaderFiles.Read read = HeaderFiles.read(path, HEADER_LENGTH, MAGIC, "pipe", "RLNKPIPE", FORMAT_VERSION);
        final ByteBuffer header = read.header();
        final long length = read.length();
        final int flags = header.getInt(FLAGS_OFFSET);
        if ((flags & ~FLAG_DUPLEX) != 0)
        {
            throw new RingFileException(path, "has unknown flags " + Integer.toHexString(flags));
        }
        final int capacity = header.getInt(CAPACITY_OFFSET);
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1)
        {
            throw new RingFileException(path, "has invalid capacity " + capacity + " (not a power of two between " +
                MIN_CAPACITY + " and " + MAX_CAPACITY + ")");
        }
        final Header valid = new Header((flags & FLAG_DUPLEX) != 0, capacity, codecName(path, header),
            header.getLong(CREATION_TIME_OFFSET));
        checkLengths(path, header, valid, length);
        if (expectedCodec != null && !expectedCodec.equals(valid.codecName()))
        {
            throw new RingFileException(path, "holds codec '" + valid.codecName() + "' messages, but codec '" +
                expectedCodec + "' was expected");
        }
        for (int end = 0; end < 2; end++)
        {
            final int state = header.getInt(SharedPipeDescriptor.endOffset(end, END_STATE_FIELD));
            if (state < 0 || state > STATE_BROKEN)
            {
                throw new RingFileException(path, "has a corrupt state " + state + " for end " + end);
            }
        }
        return valid;
    }

    private static void checkLengths(final Path path, final ByteBuffer header, final Header valid, final long length)
        throws RingFileException
    {
        final int capacity = valid.capacity();
        checkField(path, "max message length", header.getInt(MAX_MESSAGE_LENGTH_OFFSET),
            SharedPipeDescriptor.maxMessageLength(capacity));
        checkField(path, "ring count", header.getInt(RING_COUNT_OFFSET), valid.ringCount());
        checkField(path, "header length", header.getInt(HEADER_LENGTH_OFFSET), HEADER_LENGTH);
        checkField(path, "ring length", header.getInt(RING_LENGTH_OFFSET), SharedPipeDescriptor.ringLength(capacity));
        checkField(path, "file length", header.getLong(FILE_LENGTH_OFFSET), valid.fileLength());
        if (length != valid.fileLength())
        {
            throw new RingFileException(path, (length < valid.fileLength() ? "is truncated: " :
                "has the wrong length: ") + length + " bytes, but a pipe of " + valid.ringCount() + " rings of " +
                capacity + " bytes takes " + valid.fileLength());
        }
    }

    private static void checkField(final Path path, final String name, final long found, final long expected)
        throws RingFileException
    {
        if (found != expected)
        {
            throw new RingFileException(path, "has a corrupt " + name + " " + found + " (its capacity and kind " +
                "imply " + expected + ")");
        }
    }

    private static String codecName(final Path path, final ByteBuffer header) throws RingFileException
    {
        return HeaderFiles.codecName(path, header, CODEC_NAME_LENGTH_OFFSET, CODEC_NAME_OFFSET, CODEC_NAME_MAX_LENGTH);
    }
}
