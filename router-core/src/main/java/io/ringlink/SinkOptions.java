package io.ringlink;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What a router does when a sink falls behind its sources, chosen per sink in
 * {@link Router#write(Object, SinkOptions)} (or for every sink of a link by {@link Linker#slowSinks(SinkOptions)}).
 * <ul>
 *     <li>{@link #block()} (the default): lossless; a producer waits while a sink is a full ring behind.</li>
 *     <li>{@link #drop()}: the producer never waits for this sink. When the sink is a full ring behind, the producer
 *     moves the sink's position past the oldest messages; the sink misses them, counted in
 *     {@link RouterMetrics.SinkMetrics#dropped()}, and what it does receive stays in order.</li>
 *     <li>{@link #disconnectAfter(Duration)}: lossless while connected; a sink that holds a waiting producer longer
 *     than the timeout is removed, logged and counted in {@link RouterMetrics#disconnectedSinks()}.</li>
 *     <li>{@link #spill(String)}: lossless and the producer does not wait for the sink: its messages are appended to a
 *     persistent queue (for example {@code chronicle:/var/tmp/spill-a}, resolved like any endpoint URI) that the sink
 *     drains on its own thread at its own pace. Its backlog is in its {@link RouterMetrics.SinkMetrics#lag()}. The
 *     queue is the sink's own: it must not exist at {@code write()}, and it is deleted when the sink is removed.</li>
 * </ul>
 */
public final class SinkOptions
{
    private static final SinkOptions BLOCK = new SinkOptions(SlowSinkPolicy.BLOCK, null, null);
    private static final SinkOptions DROP = new SinkOptions(SlowSinkPolicy.DROP, null, null);

    private final SlowSinkPolicy policy;
    private final Duration timeout;
    private final String spillUri;

    private SinkOptions(final SlowSinkPolicy policy, final Duration timeout, final String spillUri)
    {
        this.policy = policy;
        this.timeout = timeout;
        this.spillUri = spillUri;
    }

    /**
     * Lossless: a producer waits for this sink (the default).
     *
     * @return the options.
     */
    public static SinkOptions block()
    {
        return BLOCK;
    }

    /**
     * The producer never waits for this sink; it misses what it falls a full ring behind on.
     *
     * @return the options.
     */
    public static SinkOptions drop()
    {
        return DROP;
    }

    /**
     * Removes the sink once it has held a waiting producer longer than the timeout.
     *
     * @param timeout positive.
     * @return the options.
     * @throws IllegalArgumentException if the timeout is not positive.
     */
    public static SinkOptions disconnectAfter(final Duration timeout)
    {
        if (timeout == null || timeout.isNegative() || timeout.isZero())
        {
            throw new IllegalArgumentException("disconnect timeout must be positive, got " + timeout);
        }
        return new SinkOptions(SlowSinkPolicy.DISCONNECT, timeout, null);
    }

    /**
     * Passes the sink's messages through a persistent queue the sink drains at its own pace.
     *
     * @param uri an endpoint URI that names a queue usable as destination and as source, e.g. {@code chronicle:DIR}.
     * @return the options.
     * @throws IllegalArgumentException if the URI is blank.
     */
    public static SinkOptions spill(final String uri)
    {
        if (uri == null || uri.isBlank())
        {
            throw new IllegalArgumentException("spill URI must not be blank: '" + uri + "'");
        }
        return new SinkOptions(SlowSinkPolicy.SPILL, null, uri);
    }

    /**
     * Parses the command's form: {@code block}, {@code drop}, {@code disconnect=DURATION} ({@code 500ms}, {@code 2s},
     * {@code 1m}, or ISO-8601 such as {@code PT0.5S}) or {@code spill=URI}.
     *
     * @param text the text.
     * @return the options.
     * @throws IllegalArgumentException naming what is wrong.
     */
    public static SinkOptions parse(final String text)
    {
        Objects.requireNonNull(text, "text");
        final String trimmed = text.trim();
        final String lower = trimmed.toLowerCase(Locale.ROOT);
        if ("block".equals(lower))
        {
            return BLOCK;
        }
        if ("drop".equals(lower))
        {
            return DROP;
        }
        if (lower.startsWith("disconnect="))
        {
            return disconnectAfter(parseDuration(lower.substring("disconnect=".length())));
        }
        if (lower.startsWith("spill="))
        {
            return spill(trimmed.substring("spill=".length()));
        }
        throw new IllegalArgumentException("slow-sink policy must be block, drop, disconnect=DURATION or spill=URI, " +
            "got '" + text + "'");
    }

    private static Duration parseDuration(final String text)
    {
        try
        {
            if (text.startsWith("p"))
            {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            }
            if (text.endsWith("ms"))
            {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            if (text.endsWith("s"))
            {
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            if (text.endsWith("m"))
            {
                return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            }
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException("malformed duration '" + text + "' (e.g. 500ms, 2s, 1m)", ex);
        }
        throw new IllegalArgumentException("malformed duration '" + text + "' (e.g. 500ms, 2s, 1m)");
    }

    /**
     * The policy.
     *
     * @return the policy.
     */
    public SlowSinkPolicy policy()
    {
        return policy;
    }

    /**
     * How long a sink may hold a waiting producer under {@link SlowSinkPolicy#DISCONNECT}.
     *
     * @return the timeout, or {@code null} under the other policies.
     */
    public Duration timeout()
    {
        return timeout;
    }

    /**
     * The spill queue's URI under {@link SlowSinkPolicy#SPILL}.
     *
     * @return the URI, or {@code null} under the other policies.
     */
    public String spillUri()
    {
        return spillUri;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof SinkOptions && ((SinkOptions)other).policy == policy &&
            Objects.equals(((SinkOptions)other).timeout, timeout) &&
            Objects.equals(((SinkOptions)other).spillUri, spillUri);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(policy, timeout, spillUri);
    }

    @Override
    public String toString()
    {
        return switch (policy)
        {
            case BLOCK -> "block";
            case DROP -> "drop";
            case DISCONNECT -> "disconnect=" + timeout.toMillis() + "ms";
            case SPILL -> "spill=" + spillUri;
        };
    }

    /**
     * The four slow-sink policies.
     */
    public enum SlowSinkPolicy
    {
        /** The producer waits. */
        BLOCK,
        /** The sink misses what it falls a full ring behind on. */
        DROP,
        /** The sink is removed once it holds a producer too long. */
        DISCONNECT,
        /** The sink drains a persistent queue at its own pace. */
        SPILL
    }
}
