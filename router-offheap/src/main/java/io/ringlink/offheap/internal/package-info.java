/**
 * Implementation of the off-heap links. Not an API: use the types in {@link io.ringlink.offheap}.
 * <ul>
 *     <li>A ring file: its layout ({@link io.ringlink.offheap.internal.IpcRingDescriptor}), creation and validation
 *     ({@link io.ringlink.offheap.internal.RingFiles}), mapping ({@link io.ringlink.offheap.internal.RingMapping}) and
 *     bounded close ({@link io.ringlink.offheap.internal.CloseGate}); its producer side, one class per ring kind
 *     ({@link io.ringlink.offheap.internal.RingProducer}: {@link io.ringlink.offheap.internal.OneToOneProducer},
 *     {@link io.ringlink.offheap.internal.ManyToOneProducer}); its consumer side
 *     ({@link io.ringlink.offheap.internal.RingConsumer} over a {@link io.ringlink.offheap.internal.RingReader}, the
 *     queue's {@link io.ringlink.offheap.internal.TakeLock}, called through
 *     {@link io.ringlink.offheap.internal.GatedConsumer}); its counters and status
 *     ({@link io.ringlink.offheap.internal.RingCounters}, {@link io.ringlink.offheap.internal.RingStatus}); the roles
 *     that name a process ({@link io.ringlink.offheap.internal.ProcessRole},
 *     {@link io.ringlink.offheap.internal.ProcessIdentity}); the back-off of every wait across processes
 *     ({@link io.ringlink.offheap.internal.Backoff}).</li>
 *     <li>A {@code SharedPipe}'s file, mapping and ends ({@link io.ringlink.offheap.internal.PipeFiles},
 *     {@link io.ringlink.offheap.internal.PipeMapping}, {@link io.ringlink.offheap.internal.PipeEnd}).</li>
 *     <li>The endpoint providers and the standard codecs.</li>
 * </ul>
 */
package io.ringlink.offheap.internal;
