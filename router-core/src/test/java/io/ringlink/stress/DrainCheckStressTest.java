package io.ringlink.stress;

import io.ringlink.Router;
import io.ringlink.WaitStrategy;
import io.ringlink.ThreadingMode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A drain check must never say "drained" while a queue source's pump holds a message it has just taken: put one
 * item, await the drain, and the sink must have it — over and over, so that the check lands in every window of the
 * pump's take.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
@ParameterizedClass(name = "{0}")
@EnumSource(ThreadingMode.class)
class DrainCheckStressTest
{
    /** Every test runs in both threading modes. */
    @Parameter
    ThreadingMode threading;

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BLOCKING", "YIELDING"})
    void shouldNeverReportDrainedBeforeTheSinkHasWhatWasPut(final WaitStrategy strategy) throws Exception
    {
        final int puts = Stress.rounds(100_000, 1_000_000);
        final LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
        final long[] last = {-1};
        final Consumer<Integer> sink = (value) -> last[0] = value;
        try (Router<Integer> router = Router.builder().threading(threading)
            .name("drain-check").waitStrategy(strategy).build())
        {
            router.write(sink);
            router.read(queue);
            for (int i = 0; i < puts; i++)
            {
                queue.put(i);
                assertThat(router.awaitDrained(Duration.ofSeconds(10))).as("drained after put " + i).isTrue();
                // awaitDrained saw the delivery's position pass the message, which it advances after the sink
                // returned: the sink's write is visible here.
                final long seen = lastSeen(last);
                if (seen != i)
                {
                    assertThat(seen).as("what the sink had when the router said drained after put " + i)
                        .isEqualTo(i);
                }
            }
        }
    }

    private static synchronized long lastSeen(final long[] last)
    {
        return last[0];
    }
}
