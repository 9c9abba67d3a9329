package io.ringlink.offheap;

/**
 * Who may write to an {@link IpcRing}. There is always one consumer.
 */
public enum RingKind
{
    /**
     * One producer thread in one process (Agrona {@code OneToOneRingBuffer}): the cheapest writes.
     */
    ONE_TO_ONE(1),

    /**
     * Any number of producer threads in any number of processes (Agrona {@code ManyToOneRingBuffer}).
     */
    MANY_TO_ONE(2);

    private final int code;

    RingKind(final int code)
    {
        this.code = code;
    }

    /**
     * The number stored in a ring file's header.
     *
     * @return the code.
     */
    public int code()
    {
        return code;
    }

    /**
     * The kind stored as a code.
     *
     * @param code the number from a header.
     * @return the kind, or {@code null} when the code is unknown.
     */
    public static RingKind ofCode(final int code)
    {
        for (final RingKind kind : values())
        {
            if (kind.code == code)
            {
                return kind;
            }
        }
        return null;
    }

    /**
     * Parses {@code one-to-one} or {@code many-to-one} (also with underscores, any case).
     *
     * @param text the text.
     * @return the kind.
     * @throws IllegalArgumentException if it is neither.
     */
    public static RingKind parse(final String text)
    {
        final String normalised = text.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (final RingKind kind : values())
        {
            if (kind.name().equals(normalised))
            {
                return kind;
            }
        }
        throw new IllegalArgumentException("ring kind '" + text + "' is not one-to-one or many-to-one");
    }
}
