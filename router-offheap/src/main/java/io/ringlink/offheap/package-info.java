/**
 * Links between JVMs on one host: Agrona memory-mapped rings ({@code ipc:}), the cross-JVM {@code SharedQueue}, and
 * persistent Chronicle Queue links ({@code chronicle:}), with the {@link io.ringlink.offheap.Codec}s that carry
 * messages across.
 * <pre>
 *   JVM A                                   /dev/shm/prices                          JVM B
 *  +--------+   +-------------+   encode   +------------------------+   decode   +---------------+   +--------+
 *  | Router |--&gt;| IpcRingSink |-----------&gt;| header | Agrona ring   |-----------&gt;| IpcRingSource |--&gt;| Router |
 *  +--------+   +-------------+   (Codec)  | (IpcRingDescriptor)    |  (Codec)   +---------------+   +--------+
 *                                  +------&gt;|                        |
 *   JVM C (MANY_TO_ONE only)       |       +------------------------+
 *  +-------------+                 |
 *  | IpcRingSink |-----------------+       SharedQueue: the same file, with put/take in place of the routers.
 *  +-------------+
 * </pre>
 * An {@link io.ringlink.offheap.IpcRing} is the file; {@link io.ringlink.offheap.IpcRingSink} and
 * {@link io.ringlink.offheap.IpcRingSource} adapt it to the router's {@code Sink} and {@code Source};
 * {@link io.ringlink.offheap.SharedQueue} puts a {@code BlockingQueue}-like face on a many-to-one ring. The
 * {@code ipc:} URI scheme opens the same endpoints by name. Implementation classes live in
 * {@code io.ringlink.offheap.internal}; do not use them directly.
 */
package io.ringlink.offheap;
