package io.ringlink.cli;

import io.ringlink.Sink;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A destination given up on at the drain timeout: what its close makes a waiting write do is the abandonment, never
 * a delivery failure of its own, and the command can tell it was abandoned even when the router saw the deliveries
 * end before its own deadline (the race a loaded CI machine showed in LinkCommandIT).
 */
class DestinationSinkTest
{
    @Test
    void shouldTakeTheFailureOfAWriteWokenByAbandonForTheAbandonment() throws Exception
    {
        final BlockedUntilClosed blocked = new BlockedUntilClosed();
        final DestinationSink sink = new DestinationSink("fifo:/nowhere", blocked, (broken) -> { });
        final Thread delivery = new Thread(() ->
        {
            try
            {
                sink.onMessage("1");
                sink.onMessage("2");
                sink.onEndOfBatch();
                sink.onMessage("3");
                sink.onEndOfBatch();
            }
            catch (final Exception ex)
            {
                blocked.failure.complete(ex);
            }
            blocked.failure.complete(null);
        }, "delivery");
        delivery.start();
        try
        {
            assertThat(blocked.waiting.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sink.isHolding()).isTrue();
            assertThat(sink.wasAbandoned()).isFalse();

            sink.abandon();

            assertThat(blocked.failure.get(10, TimeUnit.SECONDS)).isNull();
            assertThat(sink.wasAbandoned()).isTrue();
            assertThat(sink.isBroken()).isFalse();
            assertThat(sink.written()).isZero();
            assertThat(blocked.handed).as("nothing is handed to a destination after it was abandoned").isEqualTo(2);
        }
        finally
        {
            delivery.join(10_000);
        }
        assertThat(delivery.isAlive()).isFalse();
    }

    @Test
    void shouldStillFailOnAnErrorThatIsNeitherABrokenPipeNorAnAbandonment()
    {
        final DestinationSink sink = new DestinationSink("file:/nowhere", new Sink<Object>()
        {
            @Override
            public void onMessage(final Object message) throws IOException
            {
                throw new IOException("No space left on device");
            }
        }, (broken) -> { });
        assertThatThrownBy(() -> sink.onMessage("1")).hasMessage("No space left on device");
        assertThat(sink.wasAbandoned()).isFalse();
    }

    /** A FIFO nobody opened: its flush waits until it is closed from another thread, then fails. */
    private static final class BlockedUntilClosed implements Sink<Object>
    {
        final CountDownLatch waiting = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        final CompletableFuture<Exception> failure = new CompletableFuture<>();
        volatile int handed;

        @Override
        public void onMessage(final Object message)
        {
            handed++;
        }

        @Override
        public void onEndOfBatch() throws IOException
        {
            waiting.countDown();
            try
            {
                if (!closed.await(30, TimeUnit.SECONDS))
                {
                    throw new IOException("never closed");
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException(ex);
            }
            throw new ClosedChannelException();
        }

        @Override
        public void close()
        {
            closed.countDown();
        }
    }
}
