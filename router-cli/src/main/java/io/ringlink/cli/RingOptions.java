package io.ringlink.cli;

import io.ringlink.WaitStrategy;
import picocli.CommandLine.Option;

/**
 * The ring options shared by commands that build a router: {@code --wait} and {@code --ring-size}.
 */
final class RingOptions
{
    @Option(names = "--wait", paramLabel = "STRATEGY", converter = WaitOption.class,
        completionCandidates = WaitOption.class,
        description = "How ring consumers wait: ${COMPLETION-CANDIDATES} (default: blocking; bench: yielding).")
    WaitStrategy wait;

    @Option(names = "--ring-size", paramLabel = "N", defaultValue = "16384",
        description = "Slots in each ring, a power of two (default: ${DEFAULT-VALUE}).")
    int ringSize;

    /**
     * The chosen wait strategy, or the command's default.
     */
    WaitStrategy waitOr(final WaitStrategy defaultStrategy)
    {
        return wait == null ? defaultStrategy : wait;
    }

    /**
     * The ring size, checked.
     *
     * @throws UsageException if it is not a power of two of at least 2.
     */
    int ringSize()
    {
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1)
        {
            throw new UsageException("--ring-size must be a power of two of at least 2, got " + ringSize);
        }
        return ringSize;
    }
}
