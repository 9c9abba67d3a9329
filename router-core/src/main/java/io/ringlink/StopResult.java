package io.ringlink;

import java.time.Duration;
import java.util.List;

/**
 * What {@link Router#stop(Duration)} achieved.
 * <p>
 * A source is given up when its ring cannot be delivered in time: by this stop when its timeout runs out, or by an
 * earlier {@link Router#unregister(EndpointId)} of that source (nothing else reports what that gave up, so the stop
 * does). Its sinks are cut off from it; those that had every message of its ring lost nothing there and are not named.
 *
 * @param drained          {@code true} if every message in every ring reached every sink before the timeout, and no
 *                         earlier unregister gave a source up with messages a sink had not received.
 * @param undelivered      (message, sink) pairs given up: the messages of a given-up source's ring that each of its
 *                         sinks had not received, the messages of the batch each of those sinks had received and
 *                         not flushed (its {@link Sink#onEndOfBatch()} was called and never returned; these are also
 *                         in the sink's {@link RouterMetrics.SinkMetrics#delivered()}, which counts every
 *                         {@code onMessage} that returned, and are the only messages counted both here and there),
 *                         each message its pump had taken and could not publish (once per sink of the source), and
 *                         what was left in spill queues. Each pair counts once. A sink held in {@code onMessage} keeps
 *                         what it took of its batch: only the messages it did not take are counted.
 * @param abandonedSinks   names of sinks cut off with messages of a given-up source's ring they had not received or
 *                         not flushed (blocked or behind when it was given up; their threads were interrupted), or
 *                         with messages left in their spill queue.
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
