package io.ringlink.spi;

import io.ringlink.Router;

import java.io.IOException;

/**
 * Publishes a router's counters where other processes can read them, for {@code Router.builder().counters(true)}.
 * Found with {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/io.ringlink.spi.CountersProvider}. router-offheap provides one (a memory-mapped Agrona
 * counters file under {@code /dev/shm/ringlink-<user>/}); router-core has none, so {@code counters(true)} needs
 * router-offheap on the class path.
 */
public interface CountersProvider
{
    /**
     * Starts publishing the router's counters, taken from {@link Router#metrics()} off the router's hot path.
     *
     * @param router the running router, whose stop closes what this returns.
     * @return closing it stops publishing and removes what was published; it must not leave a thread running.
     * @throws IOException if the counters cannot be created.
     */
    AutoCloseable publish(Router<?> router) throws IOException;
}
