/**
 * jcstress tests of the router's memory-ordering protocols, run by {@code ./mvnw verify} in jcstress' quick mode
 * (module router-jcstress; {@code -Djcstress.mode=tough} for a long run, {@code -Djcstress.skip} to leave them out).
 * <ul>
 *     <li>{@link io.ringlink.jcstress.OwnerGateTest}: a single-producer ring's owner publishing while another thread
 *     closes it; only one of them may claim at a time, a publish that returned lands before the end marker.</li>
 *     <li>{@link io.ringlink.jcstress.AsymmetricFenceTest}: the gate's fence on one side only (the closer's
 *     safepoint standing for the owner's fence): at least one side sees the other's store; its {@code Unfenced}
 *     variant, without the safepoint, shows that the race is there to be seen.</li>
 *     <li>{@link io.ringlink.jcstress.HandshakeTest}: the fan-in hand-shake's request and answer; no request is
 *     ever left neither answered nor alerted.</li>
 *     <li>{@link io.ringlink.jcstress.SleepFlagTest}: a {@code SHARED} + {@code BLOCKING} agent going to sleep while
 *     a producer publishes; either the agent's last look sees the message or the producer sees its flag.</li>
 *     <li>{@link io.ringlink.jcstress.AgentInterruptLeaveTest}: a {@code SHARED} agent leaving a delivery while it is
 *     halted; once the leave returns no interrupt for it is pending or arrives (it would fail the next sink).</li>
 *     <li>{@link io.ringlink.jcstress.AgentInterruptEnterTest}: an agent entering a delivery whose sink blocks until
 *     interrupted while it is halted; either its poll sees the halt or the halt interrupts the sink.</li>
 * </ul>
 */
package io.ringlink.jcstress;
