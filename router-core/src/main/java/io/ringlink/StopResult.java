package io.ringlink;

import java.time.Duration;
import java.util.List;

/**
 * What {@link Router#stop(Duration)} achieved.
 *
 * @param drained          {@code true} if every message in every ring reached every sink before the timeout.
 * @param undelivered      messages left in rings when the timeout ran out, summed over sinks.
 * @param abandonedSinks   names of sinks still blocked when the timeout ran out; their threads were interrupted.
 * @param abandonedSources names of sources whose pump did not end before the timeout.
 * @param took             how long the stop took.
 */
public record StopResult(
    boolean drained, long undelivered, List<String> abandonedSinks, List<String> abandonedSources, Duration took)
{
    /**
     * Creates a result, copying the lists.
     *
     * @param drained          every message reached every sink.
     * @param undelivered      messages left undelivered.
     * @param abandonedSinks   sinks abandoned.
     * @param abandonedSources sources abandoned.
     * @param took             how long the stop took.
     */
    public StopResult
    {
        abandonedSinks = List.copyOf(abandonedSinks);
        abandonedSources = List.copyOf(abandonedSources);
    }

    /**
     * Whether everything was delivered and nothing abandoned.
     *
     * @return {@code true} for a clean stop.
     */
    public boolean isClean()
    {
        return drained && abandonedSinks.isEmpty() && abandonedSources.isEmpty();
    }
}
