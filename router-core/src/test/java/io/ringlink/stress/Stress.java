package io.ringlink.stress;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Settings of the stress suites: a short mode by default (CI), a long mode with {@code -Dringlink.stress=long}, and a
 * round count of one's own with {@code -Dringlink.stress.rounds=N}.
 */
final class Stress
{
    /** {@code short} (default) or {@code long}. */
    static final String MODE_PROP_NAME = "ringlink.stress";
    /** Rounds per configuration, overriding the mode. */
    static final String ROUNDS_PROP_NAME = "ringlink.stress.rounds";

    private Stress()
    {
    }

    /**
     * Rounds to run per configuration.
     *
     * @param shortRounds rounds in the short mode.
     * @param longRounds  rounds in the long mode.
     * @return the rounds.
     */
    static int rounds(final int shortRounds, final int longRounds)
    {
        final String rounds = System.getProperty(ROUNDS_PROP_NAME);
        if (rounds != null)
        {
            return Integer.parseInt(rounds);
        }
        return "long".equals(System.getProperty(MODE_PROP_NAME)) ? longRounds : shortRounds;
    }

    /** Spins for a random time up to {@code maxNanos}: a random moment for the racing thread to act. */
    static void spinRandomly(final long maxNanos)
    {
        final long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(maxNanos + 1);
        while (System.nanoTime() - until < 0)
        {
            Thread.onSpinWait();
        }
    }
}
