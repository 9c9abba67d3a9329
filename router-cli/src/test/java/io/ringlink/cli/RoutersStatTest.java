package io.ringlink.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ringlink.Publisher;
import io.ringlink.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RoutersStat} in this JVM over a router of this JVM: rates between refreshes, filters.
 */
@Timeout(60)
class RoutersStatTest
{
    private static final String DIR_PROP_NAME = "ringlink.counters.dir";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

    @AfterEach
    void restore()
    {
        System.clearProperty(DIR_PROP_NAME);
    }

    @Test
    void shouldShowARateWhileMessagesFlowBetweenRefreshes() throws Exception
    {
        System.setProperty(DIR_PROP_NAME, dir.toString());
        try (Router<Integer> router = Router.builder().name("flowing").counters(true).build())
        {
            router.write(new LinkedBlockingQueue<Integer>());
            final Publisher<Integer> feed = router.publisher("feed");
            final RoutersStat stat = new RoutersStat(dir, "flowing", true, print, print);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread watcher = new Thread(() ->
            {
                try
                {
                    stat.watch(Duration.ofMillis(100), false);
                }
                catch (final InterruptedException expected)
                {
                    Thread.currentThread().interrupt();
                }
                catch (final Exception ex)
                {
                    failure.set(ex);
                }
            }, "stat-watcher");
            watcher.start();
            try
            {
                await().atMost(Duration.ofSeconds(30)).until(() ->
                {
                    for (int i = 0; i < 1000; i++)
                    {
                        feed.publish(i);
                    }
                    return maxSinkRate() > 0;
                });
            }
            finally
            {
                watcher.interrupt();
                watcher.join(10_000);
            }
            assertThat(watcher.isAlive()).isFalse();
            assertThat(failure.get()).isNull();
        }
    }

    @Test
    void shouldMatchByPidByPidAndNameAndByName() throws Exception
    {
        System.setProperty(DIR_PROP_NAME, dir.toString());
        final long pid = ProcessHandle.current().pid();
        try (Router<Integer> router = Router.builder().name("picked").counters(true).build())
        {
            assertThat(router.isRunning()).isTrue();
            for (final String filter : new String[]{Long.toString(pid), pid + ":picked", "picked"})
            {
                out.reset();
                assertThat(new RoutersStat(dir, filter, true, print, print).once()).as(filter).isZero();
                assertThat(JsonParser.parseString(out.toString(StandardCharsets.UTF_8)).getAsJsonObject()
                    .getAsJsonArray("routers")).as(filter).hasSize(1);
            }
            for (final String filter : new String[]{(pid + 1) + ":picked", pid + ":other", "other"})
            {
                out.reset();
                assertThat(new RoutersStat(dir, filter, true, print, print).once()).as(filter)
                    .isEqualTo(Main.EXIT_FAILURE);
            }
        }
        assertThat(RoutersStat.isRouterFilter(null)).isTrue();
        assertThat(RoutersStat.isRouterFilter("42:link")).isTrue();
        assertThat(RoutersStat.isRouterFilter("link-1")).isTrue();
        assertThat(RoutersStat.isRouterFilter("ipc:/dev/shm/ring")).isFalse();
        assertThat(RoutersStat.isRouterFilter("chronicle:q")).isFalse();
    }

    private long maxSinkRate()
    {
        long max = 0;
        final String text = out.toString(StandardCharsets.UTF_8);
        for (final String line : text.substring(0, text.lastIndexOf('\n') + 1).lines().toList())
        {
            for (final JsonElement router : JsonParser.parseString(line).getAsJsonObject().getAsJsonArray("routers"))
            {
                // A refresh between build() and write() shows the router with no sink yet.
                final JsonArray sinks = router.getAsJsonObject().getAsJsonArray("sinks");
                if (sinks.isEmpty())
                {
                    continue;
                }
                final JsonObject sink = sinks.get(0).getAsJsonObject();
                if (!sink.get("ratePerS").isJsonNull())
                {
                    max = Math.max(max, sink.get("ratePerS").getAsLong());
                }
            }
        }
        return max;
    }
}
