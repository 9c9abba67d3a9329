package io.ringlink.offheap.internal;

import io.ringlink.WaitStrategy;
import io.ringlink.spi.EndpointUri;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.Locale;

/**
 * Maps the router's {@link WaitStrategy} onto Agrona idle strategies for waits across processes, where there is no
 * signal to block on: {@code BLOCKING} and {@code SLEEPING} back off to parking, so a wait wakes within about a
 * millisecond of the other process acting. Also reads an endpoint URI's {@code wait=} parameter, shared by the
 * {@code ipc:} and {@code chronicle:} providers.
 */
public final class IdleStrategies
{
    private IdleStrategies()
    {
    }

    /**
     * A new idle strategy for one waiting thread.
     *
     * @param waitStrategy how to wait.
     * @return the idle strategy.
     */
    public static IdleStrategy of(final WaitStrategy waitStrategy)
    {
        return switch (waitStrategy)
        {
            case BUSY_SPIN -> new BusySpinIdleStrategy();
            case YIELDING -> new YieldingIdleStrategy();
            case SLEEPING -> new BackoffIdleStrategy(100, 100, 1_000, 1_000_000);
            case BLOCKING -> new BackoffIdleStrategy(10, 10, 100_000, 1_000_000);
        };
    }

    /**
     * The wait strategy an endpoint URI names with {@code wait=}: {@code busy-spin}, {@code yielding},
     * {@code sleeping} or {@code blocking} (the default when absent).
     *
     * @param uri the endpoint URI.
     * @return the wait strategy.
     * @throws IllegalArgumentException naming the URI, the value and the accepted ones.
     */
    public static WaitStrategy waitStrategy(final EndpointUri uri)
    {
        final String text = uri.parameter("wait", "blocking");
        try
        {
            return WaitStrategy.valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("endpoint URI '" + uri + "': parameter wait='" + text +
                "' is not busy-spin, yielding, sleeping or blocking", ex);
        }
    }
}
