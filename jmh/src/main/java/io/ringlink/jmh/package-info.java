/**
 * JMH benchmarks of RingLink, each measured against its peers in the same run so that ratios hold on a noisy machine.
 * <ul>
 *     <li>{@link io.ringlink.jmh.RouterPublishBenchmark}: 1&rarr;1 throughput of a {@code Publisher} against the raw
 *     Disruptor, JCTools SPSC and an {@code ArrayBlockingQueue} pump thread.</li>
 *     <li>{@link io.ringlink.jmh.RouterLinkBenchmark}: queue-to-queue link against the pump thread.</li>
 *     <li>{@link io.ringlink.jmh.RouterFanOutBenchmark} (1&rarr;3) and {@link io.ringlink.jmh.RouterFanInBenchmark}
 *     (3&rarr;1) against the raw Disruptor.</li>
 *     <li>{@link io.ringlink.jmh.IpcRoundTripBenchmark}: cross-JVM ping-pong round trips (raw Agrona ring, raw
 *     Chronicle Queue, loopback TCP, and an in-JVM volatile floor), percentiles from an HdrHistogram reported by
 *     {@link io.ringlink.jmh.HdrLatencyProfiler}.</li>
 *     <li>{@link io.ringlink.jmh.RouterScalingBenchmark}: N sources &times; M sinks in both threading modes against
 *     one multi-producer Disruptor ring with M handlers; {@link io.ringlink.jmh.RouterIdleBenchmark}: what the same
 *     shapes cost idle (cores, threads); {@link io.ringlink.jmh.RouterLatencyBenchmark}: their publish-to-delivery
 *     percentiles at a fixed offered rate.</li>
 *     <li>{@link io.ringlink.jmh.SlowSinkBenchmark}: two fast sinks beside a stalled one under each slow-sink policy,
 *     against the fast sinks alone.</li>
 * </ul>
 * Run them all with {@code jmh/run-benchmarks [--quick]}; see docs/performance.md.
 */
package io.ringlink.jmh;
