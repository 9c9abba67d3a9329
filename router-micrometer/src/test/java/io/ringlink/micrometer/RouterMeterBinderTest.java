package io.ringlink.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ringlink.Publisher;
import io.ringlink.Router;
import io.ringlink.RouterMetrics;
import io.ringlink.SinkId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The binder's meters read what {@link Router#metrics()} says.
 */
@Timeout(60)
class RouterMeterBinderTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void shouldReadTheSameCountsAsMetricsAtAQuiescentPoint() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        try (Router<Integer> router = Router.builder().name("metered").recordLatency(true).build())
        {
            final SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new RouterMeterBinder(router).bindTo(registry);
            final SinkId fast = router.write(new LinkedBlockingQueue<Integer>());
            final SinkId slow = router.write((Consumer<Integer>)(message) -> awaitQuietly(release));
            final Publisher<Integer> feed = router.publisher("feed");
            for (int i = 0; i < 50; i++)
            {
                feed.publish(i);
            }
            await().atMost(WAIT).until(() -> router.metrics().sinks().get(0).delivered() == 50);
            await().atMost(WAIT).ignoreExceptions().until(() -> counter(registry, "ringlink.router.published", null,
                null) == 50 && counter(registry, "ringlink.sink.delivered", "sink", fast.name()) == 50);
            final RouterMetrics metrics = router.metrics();
            assertThat(counter(registry, "ringlink.router.published", null, null)).isEqualTo(metrics.published());
            assertThat(counter(registry, "ringlink.router.delivered", null, null)).isEqualTo(metrics.delivered());
            assertThat(gauge(registry, "ringlink.router.backlog", null, null)).isEqualTo(metrics.backlog());
            assertThat(counter(registry, "ringlink.source.published", "source", "feed")).isEqualTo(50);
            assertThat(gauge(registry, "ringlink.source.backlog", "source", "feed"))
                .isEqualTo(metrics.sources().get(0).backlog()).isPositive();
            assertThat(gauge(registry, "ringlink.sink.lag", "sink", slow.name()))
                .isEqualTo(metrics.sinks().get(1).lag()).isPositive();
            assertThat(gauge(registry, "ringlink.sink.lag", "sink", fast.name())).isZero();
            assertThat(counter(registry, "ringlink.sink.errors", "sink", slow.name())).isZero();
            assertThat(registry.get("ringlink.router.latency").tag("quantile", "0.99").gauge().value())
                .isEqualTo(router.metrics().latency().p99() / 1e9).isPositive();
            release.countDown();
        }
    }

    @Test
    void shouldAddAndRemoveMetersAsSinksComeAndGo() throws Exception
    {
        try (Router<Integer> router = Router.builder().name("changing").build())
        {
            final SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new RouterMeterBinder(router).bindTo(registry);
            assertThat(registry.find("ringlink.sink.delivered").meters()).isEmpty();
            final SinkId sink = router.write(new LinkedBlockingQueue<Integer>());
            router.publisher("feed").publish(1);
            await().atMost(WAIT).until(() ->
            {
                counter(registry, "ringlink.router.published", null, null);
                return registry.find("ringlink.sink.delivered").tag("sink", sink.name()).functionCounter() != null &&
                    counter(registry, "ringlink.sink.delivered", "sink", sink.name()) == 1;
            });
            router.unregister(sink);
            await().atMost(WAIT).until(() ->
            {
                counter(registry, "ringlink.router.published", null, null);
                return registry.find("ringlink.sink.delivered").meters().isEmpty();
            });
            assertThat(counter(registry, "ringlink.router.delivered", null, null)).isEqualTo(1);
        }
    }

    @Test
    void shouldRunTheDocsPrometheusExample() throws Exception
    {
        try (Router<String> router = Router.builder().name("quotes").build())
        {
            final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
            router.write(queue);
            router.publisher("feed").publish("hello");
            assertThat(router.awaitDrained(WAIT)).isTrue();
            // docs/operations.md, "Micrometer":
            final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new RouterMeterBinder(router).bindTo(registry);
            final String scrape = registry.scrape();
            assertThat(scrape)
                .contains("ringlink_source_published_messages_total{router=\"quotes\",source=\"feed\"} 1")
                .containsPattern("ringlink_sink_lag_messages\\{router=\"quotes\",sink=\"queue@[0-9a-f]+\"} 0");
        }
    }

    private static double counter(final MeterRegistry registry, final String name, final String tag,
        final String value)
    {
        return (tag == null ? registry.get(name) : registry.get(name).tag(tag, value)).functionCounter().count();
    }

    private static double gauge(final MeterRegistry registry, final String name, final String tag, final String value)
    {
        return (tag == null ? registry.get(name) : registry.get(name).tag(tag, value)).gauge().value();
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
