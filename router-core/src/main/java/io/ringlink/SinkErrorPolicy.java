package io.ringlink;

/**
 * What a router does with a sink that throws. Whatever the policy, the error is counted in
 * {@link RouterMetrics.SinkMetrics#errors()} and logged, and other sinks keep flowing.
 */
public enum SinkErrorPolicy
{
    /**
     * Keep the sink; it receives the following messages. The default.
     */
    KEEP,

    /**
     * Remove the sink from the router, as {@link Router#unregister(EndpointId)} would.
     */
    REMOVE,

    /**
     * Stop the whole router, delivering what other sinks can still take within the default timeout.
     */
    STOP_ROUTER
}
