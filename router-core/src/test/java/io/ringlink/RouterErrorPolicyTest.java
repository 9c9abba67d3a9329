package io.ringlink;

import io.ringlink.test.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sink that throws is counted and logged, and handled by the policy; other sinks keep flowing in every case.
 */
@Timeout(60)
@ParameterizedClass(name = "{0}")
@EnumSource(ThreadingMode.class)
class RouterErrorPolicyTest
{
    /** Every test runs in both threading modes. */
    @Parameter
    ThreadingMode threading;

    private static final int MESSAGES = 1000;

    @Test
    void shouldKeepAFailingSinkAndCountItsErrorsByDefault()
    {
        final AtomicInteger accepted = new AtomicInteger();
        final BlockingQueue<Integer> healthy = new LinkedBlockingQueue<>();
        try (Router<Integer> router = Router.builder().threading(threading).name("policy-keep").build())
        {
            final SinkId failing = router.write(failEveryTenth(accepted));
            router.write(healthy);
            publish(router);
            await().atMost(Duration.ofSeconds(10)).until(() -> healthy.size() == MESSAGES);
            assertThat(router.awaitDrained(Duration.ofSeconds(10))).isTrue();
            final RouterMetrics.SinkMetrics metrics = sinkMetrics(router, failing);
            assertThat(metrics.errors()).isEqualTo(MESSAGES / 10);
            assertThat(metrics.delivered()).isEqualTo(MESSAGES - MESSAGES / 10).isEqualTo(accepted.get());
            assertThat(router.metrics().errors()).isEqualTo(MESSAGES / 10);
            assertThat(router.isRunning()).isTrue();
        }
    }

    @Test
    void shouldRemoveAFailingSinkUnderTheRemovePolicy()
    {
        final AtomicInteger accepted = new AtomicInteger();
        final BlockingQueue<Integer> healthy = new LinkedBlockingQueue<>();
        try (Router<Integer> router = Router.builder().threading(threading).name("policy-remove")
            .errorPolicy(SinkErrorPolicy.REMOVE).build())
        {
            router.write(failEveryTenth(accepted));
            router.write(healthy);
            publish(router);
            await().atMost(Duration.ofSeconds(10)).until(() -> healthy.size() == MESSAGES);
            await().atMost(Duration.ofSeconds(10)).until(() -> router.metrics().sinks().size() == 1);
            assertThat(accepted.get()).isEqualTo(9);
            assertThat(router.metrics().errors()).isEqualTo(1);
            assertThat(router.isRunning()).isTrue();
        }
        Threads.assertNoThreadsNamed("ringlink-policy-remove-");
    }

    @Test
    void shouldStopTheRouterUnderTheStopPolicyAndReportTheFailure()
    {
        final AtomicInteger accepted = new AtomicInteger();
        final Router<Integer> router = Router.builder().threading(threading).name("policy-stop")
            .errorPolicy(SinkErrorPolicy.STOP_ROUTER).build();
        router.write(failEveryTenth(accepted));
        final Publisher<Integer> publisher = router.publisher("p");
        for (int i = 0; i < 10; i++)
        {
            publisher.publish(i);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !router.isRunning());
        router.close();
        assertThat(router.failure()).get().extracting(Throwable::getMessage).isEqualTo("tenth");
        Threads.assertNoThreadsNamed("ringlink-policy-stop-");
    }

    private static Consumer<Integer> failEveryTenth(final AtomicInteger accepted)
    {
        return (message) ->
        {
            if (message % 10 == 9)
            {
                throw new IllegalStateException("tenth");
            }
            accepted.incrementAndGet();
        };
    }

    private static void publish(final Router<Integer> router)
    {
        final Publisher<Integer> publisher = router.publisher("p");
        for (int i = 0; i < MESSAGES; i++)
        {
            publisher.publish(i);
        }
    }

    private static RouterMetrics.SinkMetrics sinkMetrics(final Router<Integer> router, final SinkId id)
    {
        return router.metrics().sinks().stream().filter((sink) -> sink.id().equals(id)).findFirst().orElseThrow();
    }
}
