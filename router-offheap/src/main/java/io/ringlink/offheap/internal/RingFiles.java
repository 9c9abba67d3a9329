package io.ringlink.offheap.internal;

import io.ringlink.offheap.RingFileException;
import io.ringlink.offheap.RingKind;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.ringlink.offheap.internal.IpcRingDescriptor.CAPACITY_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.CODEC_NAME_LENGTH_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.CODEC_NAME_MAX_LENGTH;
import static io.ringlink.offheap.internal.IpcRingDescriptor.CODEC_NAME_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.CREATION_TIME_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.CREATOR_PID_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.FORMAT_VERSION;
import static io.ringlink.offheap.internal.IpcRingDescriptor.HEADER_LENGTH;
import static io.ringlink.offheap.internal.IpcRingDescriptor.KIND_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.MAGIC;
import static io.ringlink.offheap.internal.IpcRingDescriptor.MAGIC_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.MAX_CAPACITY;
import static io.ringlink.offheap.internal.IpcRingDescriptor.MAX_MESSAGE_LENGTH_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.MAX_SIZE_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.MIN_CAPACITY;
import static io.ringlink.offheap.internal.IpcRingDescriptor.VERSION_OFFSET;

/**
 * Creates ring files atomically and owner-only, waits for one that a writer is to create, and validates a file's
 * header before anything maps it.
 */
public final class RingFiles
{
    private static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
    /** How often {@link #awaitExists(Path, long)} looks for the file: a stat each time, and no busy spin. */
    private static final long EXISTS_POLL_NS = TimeUnit.MILLISECONDS.toNanos(10);

    private RingFiles()
    {
    }

    /**
     * What a valid header says.
     *
     * @param kind         ring kind.
     * @param capacity     ring capacity in bytes.
     * @param codecName    name of the codec the records are in.
     * @param creationTime epoch milliseconds.
     * @param maxSize      the most messages the ring may hold (a queue's limit), 0 for none.
     */
    public record Header(RingKind kind, int capacity, String codecName, long creationTime, int maxSize)
    {
    }

    /**
     * Checks a ring's parameters.
     *
     * @param capacity  ring capacity.
     * @param codecName codec name.
     * @throws IllegalArgumentException naming the value and the limit.
     */
    public static void checkParameters(final int capacity, final String codecName)
    {
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " must be a power of two between " +
                MIN_CAPACITY + " and " + MAX_CAPACITY);
        }
        if (codecName == null || codecName.isEmpty() || codecName.length() > CODEC_NAME_MAX_LENGTH ||
            !StandardCharsets.US_ASCII.newEncoder().canEncode(codecName))
        {
            throw new IllegalArgumentException("codec name '" + codecName + "' must be 1 to " +
                CODEC_NAME_MAX_LENGTH + " ASCII characters");
        }
    }

    /**
     * Writes a complete ring file under a temporary name in the same directory, then links it into place so that
     * no reader ever sees a half-written header. Creates missing directories owner-only.
     *
     * @param path      the ring file.
     * @param kind      ring kind.
     * @param capacity  ring capacity.
     * @param codecName codec name.
     * @param replace   whether to replace an existing file (atomically, by rename).
     * @param maxSize   the most messages the ring may hold (a queue's limit), 0 for none.
     * @throws RingFileException if the file exists and {@code replace} is false.
     * @throws IOException       if writing failed.
     */
    public static void create(
        final Path path, final RingKind kind, final int capacity, final String codecName, final boolean replace,
        final int maxSize) throws IOException
    {
        checkParameters(capacity, codecName);
        final Path file = path.toAbsolutePath();
        final Path temporary = HeaderFiles.temporaryBeside(file);
        try
        {
            writeFile(temporary, kind, capacity, codecName, maxSize);
            if (replace)
            {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            else
            {
                HeaderFiles.linkIntoPlace(temporary, file,
                    "open it, or create it with IfExists.REUSE or REPLACE");
            }
        }
        finally
        {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Waits for a writer to create a ring file, looking every 10 ms; creates nothing. A ring that exists is whole:
     * {@link #create} writes it under a temporary name and links it into place, so a reader never finds one half
     * made, and existence is all there is to wait for.
     *
     * @param path      the ring file.
     * @param timeoutNs how long to wait; 0 looks once.
     * @return {@code true} once the file exists, {@code false} if it still did not at the timeout.
     * @throws InterruptedIOException if the thread was interrupted while waiting (its interrupt status is set again).
     */
    public static boolean awaitExists(final Path path, final long timeoutNs) throws InterruptedIOException
    {
        final long start = System.nanoTime();
        while (!Files.exists(path))
        {
            final long left = timeoutNs - (System.nanoTime() - start);
            if (left <= 0)
            {
                return false;
            }
            try
            {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, EXISTS_POLL_NS));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for ring " + path + " to be created");
            }
        }
        return true;
    }

    private static void writeFile(
        final Path temporary, final RingKind kind, final int capacity, final String codec, final int maxSize)
        throws IOException
    {
        final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.nativeOrder());
        header.putLong(MAGIC_OFFSET, MAGIC)
            .putInt(VERSION_OFFSET, FORMAT_VERSION)
            .putInt(KIND_OFFSET, kind.code())
            .putInt(CAPACITY_OFFSET, capacity)
            .putInt(MAX_MESSAGE_LENGTH_OFFSET, IpcRingDescriptor.maxMessageLength(capacity))
            .putInt(CODEC_NAME_LENGTH_OFFSET, codec.length())
            .put(CODEC_NAME_OFFSET, codec.getBytes(StandardCharsets.US_ASCII))
            .putLong(CREATION_TIME_OFFSET, System.currentTimeMillis())
            .putLong(CREATOR_PID_OFFSET, ProcessHandle.current().pid())
            .putInt(MAX_SIZE_OFFSET, maxSize);
        try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE), posix(FILE_PERMISSIONS)))
        {
            if (isPosix(temporary))
            {
                Files.setPosixFilePermissions(temporary, FILE_PERMISSIONS);
            }
            channel.write(ByteBuffer.allocate(1), IpcRingDescriptor.fileLength(capacity) - 1);
            channel.write(header, 0);
        }
    }

    /**
     * Reads and checks a ring file's header without modifying or mapping the file.
     *
     * @param path          the file.
     * @param expectedCodec the codec name the caller expects, or {@code null} for any.
     * @return the header.
     * @throws RingFileException naming the file and the problem.
     * @throws IOException       if the file cannot be read.
     */
    public static Header validate(final Path path, final String expectedCodec) throws IOException
    {
        final HeaderFiles.Read read = HeaderFiles.read(path, HEADER_LENGTH, MAGIC, "ring", "RLNKRING", FORMAT_VERSION);
        final ByteBuffer header = read.header();
        final long length = read.length();
        final RingKind kind = RingKind.ofCode(header.getInt(KIND_OFFSET));
        if (kind == null)
        {
            throw new RingFileException(path, "has unknown ring kind " + header.getInt(KIND_OFFSET));
        }
        final int capacity = header.getInt(CAPACITY_OFFSET);
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1)
        {
            throw new RingFileException(path, "has invalid capacity " + capacity + " (not a power of two between " +
                MIN_CAPACITY + " and " + MAX_CAPACITY + ")");
        }
        final long expectedLength = IpcRingDescriptor.fileLength(capacity);
        if (length != expectedLength)
        {
            throw new RingFileException(path, (length < expectedLength ? "is truncated: " : "has the wrong length: ") +
                length + " bytes, but a ring of capacity " + capacity + " takes " + expectedLength);
        }
        final int maxMessageLength = header.getInt(MAX_MESSAGE_LENGTH_OFFSET);
        if (maxMessageLength != IpcRingDescriptor.maxMessageLength(capacity))
        {
            throw new RingFileException(path, "has max message length " + maxMessageLength + " but capacity " +
                capacity + " implies " + IpcRingDescriptor.maxMessageLength(capacity));
        }
        final String codecName = codecName(path, header);
        if (expectedCodec != null && !expectedCodec.equals(codecName))
        {
            throw new RingFileException(path, "holds codec '" + codecName + "' records, but codec '" + expectedCodec +
                "' was expected");
        }
        final int maxSize = header.getInt(MAX_SIZE_OFFSET);
        if (maxSize < 0)
        {
            throw new RingFileException(path, "has a corrupt max size " + maxSize);
        }
        return new Header(kind, capacity, codecName, header.getLong(CREATION_TIME_OFFSET), maxSize);
    }

    private static String codecName(final Path path, final ByteBuffer header) throws RingFileException
    {
        return HeaderFiles.codecName(path, header, CODEC_NAME_LENGTH_OFFSET, CODEC_NAME_OFFSET, CODEC_NAME_MAX_LENGTH);
    }

    private static boolean isPosix(final Path path)
    {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] posix(final Set<PosixFilePermission> permissions)
    {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix") ?
            new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(permissions)} : new FileAttribute<?>[0];
    }
}
