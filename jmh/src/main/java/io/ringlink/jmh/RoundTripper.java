package io.ringlink.jmh;

import java.io.IOException;

/**
 * The benchmark side of a cross-JVM round trip ({@link AgronaRings}, {@link ChronicleQueues}, {@link IpcEndpoints},
 * {@link ChronicleEndpoints}, {@link SharedPipeEndpoints}): sends a sequence to the echo process and waits for it
 * to come back.
 */
interface RoundTripper extends AutoCloseable
{
    /**
     * Sends {@code sequence} (in a 32-byte message) and waits for its echo.
     *
     * @param sequence the value to send.
     * @return the sequence that came back.
     */
    long roundTrip(long sequence);

    @Override
    void close() throws IOException;
}
