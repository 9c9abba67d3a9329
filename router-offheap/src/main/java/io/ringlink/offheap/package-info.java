/**
 * Links between JVMs on one host: Agrona memory-mapped rings ({@code ipc:}), the cross-JVM {@code SharedQueue}, and
 * persistent Chronicle Queue links ({@code chronicle:}), with the {@link io.ringlink.offheap.Codec}s that carry
 * messages across.
 * <pre>
 *   JVM A                          /dev/shm/prices                        JVM B
 *  +--------+  +-------------+    +---------------------+    +---------------+  +--------+
 *  | Router |-&gt;| IpcRingSink |---&gt;| header (Descriptor)  |---&gt;| IpcRingSource |-&gt;| Router |
 *  +--------+  +-------------+    | Agrona ring buffer  |    +---------------+  +--------+
 *               encode (Codec)    +---------------------+     decode (Codec)
 *   JVM C                              ^
 *  +-------------+                     |    MANY_TO_ONE: producers in any number of JVMs.
 *  | IpcRingSink |---------------------+    SharedQueue: the same file, with put/take by any number of
 *  +-------------+                          JVMs on both sides (takes serialised by a lock in the header).
 * </pre>
 * An {@link io.ringlink.offheap.IpcRing} is the file; {@link io.ringlink.offheap.IpcRingSink} and
 * {@link io.ringlink.offheap.IpcRingSource} adapt it to the router's {@code Sink} and {@code Source};
 * {@link io.ringlink.offheap.SharedQueue} puts a {@code BlockingQueue}-like face on a many-to-one ring. The
 * {@code ipc:} URI scheme opens the same endpoints by name. {@link io.ringlink.offheap.SharedPipe} is Python's
 * {@code multiprocessing.Pipe()}: one file, a one-to-one ring per direction, an end per JVM. Implementation classes
 * live in {@code io.ringlink.offheap.internal}; do not use them directly.
 */
package io.ringlink.offheap;
