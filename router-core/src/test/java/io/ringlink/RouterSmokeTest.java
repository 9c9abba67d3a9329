package io.ringlink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class RouterSmokeTest
{
    @Test
    void shouldDeliverPublishedMessagesToEveryQueue() throws Exception
    {
        final BlockingQueue<Integer> a = new LinkedBlockingQueue<>();
        final BlockingQueue<Integer> b = new LinkedBlockingQueue<>();
        try (Router<Integer> router = Router.builder().name("smoke").ringSize(64).build())
        {
            router.write(a);
            router.write(b);
            final Publisher<Integer> publisher = router.publisher("p");
            for (int i = 0; i < 10_000; i++)
            {
                publisher.publish(i);
            }
            assertThat(router.awaitDrained(Duration.ofSeconds(20))).isTrue();
            assertThat(router.metrics().delivered()).isEqualTo(20_000);
        }
        final List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 10_000; i++)
        {
            expected.add(i);
        }
        assertThat(new ArrayList<>(a)).isEqualTo(expected);
        assertThat(new ArrayList<>(b)).isEqualTo(expected);
    }

    @Test
    void shouldPumpQueueToQueue() throws Exception
    {
        final BlockingQueue<String> in = new ArrayBlockingQueue<>(100);
        final BlockingQueue<String> out = new LinkedBlockingQueue<>();
        final StopResult result;
        try (Router<String> router = Router.builder().name("pump").build())
        {
            router.read(in);
            router.write(out);
            for (int i = 0; i < 1000; i++)
            {
                in.put("m" + i);
            }
            result = router.stop(Duration.ofSeconds(10));
        }
        assertThat(result.isClean()).isTrue();
        assertThat(out).hasSize(1000);
    }
}
