package io.ringlink.offheap;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11 item 10: {@link IpcRing#close()} is bounded while a read handler blocks, reports it, and the blocked call
 * finishes the close when it returns.
 */
class IpcRingCloseTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void shouldReportAndBoundACloseWhileAReadHandlerBlocksThenFinishItWhenTheHandlerReturns() throws Exception
    {
        final Path file = dir.resolve("ring");
        final IpcRing ring = IpcRing.builder(file).capacity(1 << 16).closeTimeout(Duration.ofMillis(300)).create();
        final UnsafeBuffer record = new UnsafeBuffer(new byte[8]);
        assertThat(ring.offer(record, 0, 8)).isTrue();
        final CountDownLatch inHandler = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicReference<Throwable> readFailure = new AtomicReference<>();
        final Thread reader = new Thread(() ->
        {
            try
            {
                ring.read((buffer, offset, length) ->
                {
                    inHandler.countDown();
                    try
                    {
                        release.await();
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                }, 1);
            }
            catch (final Throwable ex)
            {
                readFailure.set(ex);
            }
        });
        reader.start();
        try
        {
            assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();
            final long start = System.nanoTime();
            assertThatThrownBy(ring::close).isInstanceOf(RingCloseTimeoutException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("still in progress");
            final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMs).isBetween(250L, 5_000L);
            assertThat(ring.isClosed()).isTrue();
            assertThatThrownBy(() -> ring.offer(record, 0, 8)).isInstanceOf(IllegalStateException.class);
            assertThat(RingFileTestSupport.mappingsOf(file)).as("still mapped under the blocked handler").isOne();
            assertThat(consumerPidOf(file)).isEqualTo(ProcessHandle.current().pid());
        }
        finally
        {
            release.countDown();
            reader.join(10_000);
        }
        assertThat(readFailure.get()).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> RingFileTestSupport.mappingsOf(file) == 0);
        assertThat(consumerPidOf(file)).as("role given back by the finished call").isEqualTo(-1);
        ring.close();
    }

    @Test
    @Timeout(30)
    void shouldCloseAtOnceWhenNoCallIsInProgress() throws Exception
    {
        final Path file = dir.resolve("idle");
        final IpcRing ring = IpcRing.builder(file).capacity(1 << 16).create();
        ring.read((buffer, offset, length) -> { }, 1);
        final long start = System.nanoTime();
        ring.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
        assertThat(RingFileTestSupport.mappingsOf(file)).isZero();
    }

    private static long consumerPidOf(final Path file) throws Exception
    {
        try (IpcRing other = IpcRing.open(file, null))
        {
            return other.consumerPid();
        }
    }
}
