package io.ringlink.offheap;

import io.ringlink.offheap.internal.RingFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Describes a ring file to create or open, from {@link IpcRing#builder(Path)}; {@link #create()} and {@link #open()}
 * check the values once.
 */
public final class IpcRingBuilder
{
    private final Path path;
    private RingKind kind = RingKind.ONE_TO_ONE;
    private boolean kindGiven;
    private int capacity = IpcRing.CAPACITY_DEFAULT;
    private boolean capacityGiven;
    private String codecName = "bytes";
    private boolean codecGiven;
    private IpcRing.IfExists ifExists = IpcRing.IfExists.FAIL;
    private boolean deleteOnClose;
    private Duration unblockTimeout = IpcRing.UNBLOCK_TIMEOUT_DEFAULT;
    private Duration closeTimeout = IpcRing.CLOSE_TIMEOUT_DEFAULT;
    private Duration takeLease = SharedQueue.TAKE_LEASE_DEFAULT;
    private int maxSize;
    private boolean maxSizeGiven;

    IpcRingBuilder(final Path path)
    {
        this.path = path;
    }

    /**
     * Who may write; {@link RingKind#ONE_TO_ONE} by default. A reused file must be of this kind if one is given.
     *
     * @param kind the kind.
     * @return this builder.
     */
    public IpcRingBuilder kind(final RingKind kind)
    {
        this.kind = kind;
        this.kindGiven = true;
        return this;
    }

    /**
     * Bytes of records, a power of two from 1 KiB to 1 GiB; {@link IpcRing#CAPACITY_DEFAULT} by default. The longest
     * message is capacity / 8. A reused file must have this capacity if one is given.
     *
     * @param capacity the capacity.
     * @return this builder.
     */
    public IpcRingBuilder capacity(final int capacity)
    {
        this.capacity = capacity;
        this.capacityGiven = true;
        return this;
    }

    /**
     * Name of the codec the records are in, stored in the header and checked on open; {@code bytes} by default.
     *
     * @param codecName the name, see {@link Codec#name()}.
     * @return this builder.
     */
    public IpcRingBuilder codec(final String codecName)
    {
        this.codecName = codecName;
        this.codecGiven = true;
        return this;
    }

    /**
     * What to do when the file exists; {@link IpcRing.IfExists#FAIL} by default.
     *
     * @param ifExists the policy.
     * @return this builder.
     */
    public IpcRingBuilder ifExists(final IpcRing.IfExists ifExists)
    {
        this.ifExists = ifExists;
        return this;
    }

    /**
     * Whether {@link IpcRing#close()} deletes the file; {@code false} by default.
     *
     * @param deleteOnClose the flag.
     * @return this builder.
     */
    public IpcRingBuilder deleteOnClose(final boolean deleteOnClose)
    {
        this.deleteOnClose = deleteOnClose;
        return this;
    }

    /**
     * How long the consumer waits on a half-written record before it skips it;
     * {@link IpcRing#UNBLOCK_TIMEOUT_DEFAULT} by default.
     *
     * @param unblockTimeout the timeout, positive.
     * @return this builder.
     */
    public IpcRingBuilder unblockTimeout(final Duration unblockTimeout)
    {
        this.unblockTimeout = unblockTimeout;
        return this;
    }

    /**
     * The most messages a queue holds, stored in the header for every process ({@link SharedQueue}).
     */
    IpcRingBuilder maxSize(final int maxSize)
    {
        this.maxSize = maxSize;
        this.maxSizeGiven = true;
        return this;
    }

    /**
     * How long one take of a queue's consumer whose process is alive may hold the take lock before a waiting taker
     * warns (it keeps waiting: {@link SharedQueue.Builder#takeLease(Duration)}).
     */
    IpcRingBuilder takeLease(final Duration takeLease)
    {
        this.takeLease = takeLease;
        return this;
    }

    /**
     * How long {@link IpcRing#close()} waits for a call in progress (a read handler that blocks) before it reports
     * it; {@link IpcRing#CLOSE_TIMEOUT_DEFAULT} by default.
     *
     * @param closeTimeout the timeout, positive.
     * @return this builder.
     */
    public IpcRingBuilder closeTimeout(final Duration closeTimeout)
    {
        this.closeTimeout = closeTimeout;
        return this;
    }

    /**
     * Opens an existing ring file, checking its header and, when given, its kind and capacity against this
     * builder's; never creates anything.
     *
     * @return the ring.
     * @throws RingFileException if the file does not exist, is not a valid ring, or its codec, kind or capacity
     *                           differ; nothing is created or modified.
     * @throws IOException       if it cannot be read or mapped.
     */
    public IpcRing open() throws IOException
    {
        checkTimeouts();
        return reuse(codecGiven ? codecName : null);
    }

    private void checkTimeouts()
    {
        for (final Duration timeout : new Duration[]{unblockTimeout, closeTimeout, takeLease})
        {
            if (timeout == null || timeout.isNegative() || timeout.isZero())
            {
                throw new IllegalArgumentException("timeout " + timeout + " must be positive");
            }
        }
    }

    /**
     * Creates the file (or opens it, per {@link #ifExists(IpcRing.IfExists)}) and maps it.
     *
     * @return the ring.
     * @throws RingFileException        if the file exists and the policy is {@link IpcRing.IfExists#FAIL}, or it is
     *                                  reused but is not a valid ring, or its kind, codec or capacity differ.
     * @throws IOException              if it cannot be written or mapped.
     * @throws IllegalArgumentException if a value is out of range, naming it.
     */
    public IpcRing create() throws IOException
    {
        RingFiles.checkParameters(capacity, codecName);
        if (kind == null || ifExists == null)
        {
            throw new IllegalArgumentException("kind and ifExists must not be null");
        }
        checkTimeouts();
        if (ifExists == IpcRing.IfExists.REUSE && Files.exists(path))
        {
            return reuse(codecName);
        }
        try
        {
            RingFiles.create(path, kind, capacity, codecName, ifExists == IpcRing.IfExists.REPLACE, maxSize);
        }
        catch (final RingFileException ex)
        {
            if (ifExists != IpcRing.IfExists.REUSE)
            {
                throw ex;
            }
            return reuse(codecName);
        }
        return new IpcRing(path, RingFiles.validate(path, codecName), deleteOnClose, unblockTimeout, closeTimeout,
            takeLease);
    }

    private IpcRing reuse(final String expectedCodec) throws IOException
    {
        final RingFiles.Header existing = RingFiles.validate(path, expectedCodec);
        if (kindGiven && existing.kind() != kind)
        {
            throw new RingFileException(path, "is a " + existing.kind() + " ring, but " + kind + " was asked for");
        }
        if (maxSizeGiven && existing.maxSize() != maxSize)
        {
            throw new RingFileException(path, "has max size " + existing.maxSize() + ", but " + maxSize +
                " was asked for");
        }
        if (capacityGiven && existing.capacity() != capacity)
        {
            throw new RingFileException(path, "has capacity " + existing.capacity() + ", but " + capacity +
                " was asked for");
        }
        return new IpcRing(path, existing, deleteOnClose, unblockTimeout, closeTimeout, takeLease);
    }
}
