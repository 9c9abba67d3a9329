package io.ringlink.jmh;

/**
 * A message that carries the {@link System#nanoTime()} at which it was published. Producers take them from a pool of
 * their own ({@link #pool(int)}) larger than what can be in flight, so that none is rewritten before every sink has
 * read it and nothing is allocated per message.
 */
final class Stamp
{
    long nanos;

    /**
     * A pool of stamps.
     *
     * @param size a power of two, more than a ring holds.
     * @return the stamps.
     */
    static Stamp[] pool(final int size)
    {
        if (Integer.bitCount(size) != 1)
        {
            throw new IllegalArgumentException("pool size must be a power of two, got " + size);
        }
        final Stamp[] stamps = new Stamp[size];
        for (int i = 0; i < size; i++)
        {
            stamps[i] = new Stamp();
        }
        return stamps;
    }
}
