package io.ringlink.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ringlink stat} without a URI, run as a process while {@code ringlink link} processes run: each launched
 * process gets the test's counters directory through {@code RINGLINK_COUNTERS_DIR} (see {@link Ringlink}).
 */
@Timeout(240)
class RoutersStatIT
{
    private static final Duration WAIT = Duration.ofSeconds(90);
    /**
     * Standard input read as text lines, one message per line: a plain {@code -} into byte destinations is carried
     * as raw chunks of whole lines (one message per read), and these tests count messages.
     */
    private static final String TEXT_STDIN = "file:/dev/stdin?lines=text";

    @TempDir
    Path dir;

    @Test
    void shouldListEveryLiveRouterWithItsSourcesAndSinksAndThenNone() throws Exception
    {
        try (Ringlink none = Ringlink.run(dir, "stat", "--json"))
        {
            assertThat(none.exitCode()).as(none.stderr()).isZero();
            assertThat(JsonParser.parseString(none.stdout()).getAsJsonObject().getAsJsonArray("routers")).isEmpty();
            assertThat(dir.resolve("counters")).as("a reading command creates nothing").doesNotExist();
        }
        final Path first = dir.resolve("first.txt");
        final Path second = dir.resolve("second.txt");
        try (Ringlink one = Ringlink.startWithStdinPipe(dir, "link", "--quiet", TEXT_STDIN, "file:" + first);
            Ringlink two = Ringlink.startWithStdinPipe(dir, "link", "--quiet", TEXT_STDIN, "file:" + second, "-"))
        {
            one.stdin().write("a\nb\nc\n".getBytes(StandardCharsets.UTF_8));
            one.stdin().flush();
            two.stdin().write("x\n".getBytes(StandardCharsets.UTF_8));
            two.stdin().flush();
            final long onePid = one.process().pid();
            final long twoPid = two.process().pid();
            final JsonArray routers = await().atMost(WAIT).ignoreExceptions().until(() -> routers(dir),
                (list) -> list.size() == 2 && published(list, onePid) == 3 && published(list, twoPid) == 1);

            final JsonObject a = byPid(routers, onePid);
            assertThat(a.get("router").getAsString()).isEqualTo("link");
            assertThat(a.get("stale").getAsBoolean()).isFalse();
            assertThat(names(a.getAsJsonArray("sources"))).containsExactly(TEXT_STDIN);
            assertThat(names(a.getAsJsonArray("sinks"))).containsExactly("file:" + first);
            assertThat(a.getAsJsonArray("sinks").get(0).getAsJsonObject().get("delivered").getAsLong()).isEqualTo(3);
            final JsonObject b = byPid(routers, twoPid);
            assertThat(names(b.getAsJsonArray("sinks"))).hasSize(2).contains("file:" + second)
                .contains("-");

            try (Ringlink table = Ringlink.run(dir, "stat"))
            {
                assertThat(table.exitCode()).as(table.stderr()).isZero();
                assertThat(table.stdout()).contains(Long.toString(onePid), Long.toString(twoPid),
                    "source " + TEXT_STDIN,
                    "sink   file:" + first, "PUBLISHED", "LAG");
            }
            try (Ringlink only = Ringlink.run(dir, "stat", twoPid + ":link", "--json"))
            {
                assertThat(only.exitCode()).as(only.stderr()).isZero();
                final JsonArray filtered = JsonParser.parseString(only.stdout()).getAsJsonObject()
                    .getAsJsonArray("routers");
                assertThat(filtered).hasSize(1);
                assertThat(filtered.get(0).getAsJsonObject().get("pid").getAsLong()).isEqualTo(twoPid);
            }
            try (Ringlink none = Ringlink.run(dir, "stat", "no-such-router"))
            {
                assertThat(none.exitCode()).isEqualTo(Main.EXIT_FAILURE);
                assertThat(none.stderr()).contains("no router matches 'no-such-router'");
            }
            one.stdin().close();
            two.stdin().close();
            assertThat(one.awaitExit(WAIT)).as(one::stderr).isZero();
            assertThat(two.awaitExit(WAIT)).as(two::stderr).isZero();
        }
        try (Ringlink stat = Ringlink.run(dir, "stat", "--json"))
        {
            assertThat(stat.exitCode()).as(stat.stderr()).isZero();
            assertThat(JsonParser.parseString(stat.stdout()).getAsJsonObject().getAsJsonArray("routers")).isEmpty();
        }
        try (Ringlink stat = Ringlink.run(dir, "stat"))
        {
            assertThat(stat.exitCode()).as(stat.stderr()).isZero();
            assertThat(stat.stdout()).contains("no router publishes counters");
        }
    }

    @Test
    void shouldRefreshWithRatesAndShowAKilledLinkAsStaleUntilCleaned() throws Exception
    {
        try (Ringlink link =
            Ringlink.startWithStdinPipe(dir, "link", "--quiet", TEXT_STDIN, "file:" + dir.resolve("o")))
        {
            link.stdin().write("1\n2\n".getBytes(StandardCharsets.UTF_8));
            link.stdin().flush();
            await().atMost(WAIT).ignoreExceptions().until(() -> published(routers(dir), link.process().pid()) == 2);
            try (Ringlink watch = Ringlink.start(dir, null, "stat", "--json", "--watch=200ms"))
            {
                await().atMost(WAIT).until(() -> watch.stdout().lines().count() >= 3);
                final String text = watch.stdout();
                final List<String> lines = text.substring(0, text.lastIndexOf('\n') + 1).lines().toList();
                for (int i = 0; i < lines.size(); i++)
                {
                    final JsonObject router = JsonParser.parseString(lines.get(i)).getAsJsonObject()
                        .getAsJsonArray("routers").get(0).getAsJsonObject();
                    assertThat(router.get("published").getAsLong()).isEqualTo(2);
                    if (i == 0)
                    {
                        assertThat(router.get("ratePerS").isJsonNull()).as("no rate before a second read").isTrue();
                    }
                    else
                    {
                        assertThat(router.get("ratePerS").getAsLong()).as("nothing flows: %s", lines.get(i)).isZero();
                    }
                }
                assertThat(watch.process().isAlive()).as("--watch runs until stopped").isTrue();
            }

            link.process().destroyForcibly().waitFor();
            await().atMost(WAIT).ignoreExceptions().until(() ->
                routers(dir).get(0).getAsJsonObject().get("stale").getAsBoolean());
            try (Ringlink table = Ringlink.run(dir, "stat"))
            {
                assertThat(table.stdout()).contains("stale", "--clean");
            }
            try (Ringlink clean = Ringlink.run(dir, "stat", "--clean"))
            {
                assertThat(clean.exitCode()).as(clean.stderr()).isZero();
                assertThat(clean.stdout()).contains("1 stale counters file removed");
            }
            assertThat(routers(dir)).isEmpty();
        }
    }

    @Test
    void shouldStillLinkWithAWarningWhenTheCountersFileCannotBeCreated() throws Exception
    {
        Files.writeString(dir.resolve("counters"), "a file where the counters directory should be");
        final Path input = Files.writeString(dir.resolve("in.txt"), "one\ntwo\n");
        final Path output = dir.resolve("out.txt");
        try (Ringlink link = Ringlink.run(dir, "link", "--quiet", "file:" + input, "file:" + output))
        {
            assertThat(link.exitCode()).as(link.stderr()).isZero();
            assertThat(link.stderr()).contains("live counters off", "is not a directory");
            assertThat(Files.readString(output)).isEqualTo("one\ntwo\n");
        }
    }

    private static JsonArray routers(final Path dir) throws Exception
    {
        try (Ringlink stat = Ringlink.run(dir, "stat", "--json"))
        {
            assertThat(stat.exitCode()).as(stat.stderr()).isZero();
            return JsonParser.parseString(stat.stdout()).getAsJsonObject().getAsJsonArray("routers");
        }
    }

    private static long published(final JsonArray routers, final long pid)
    {
        final JsonObject router = byPid(routers, pid);
        return router == null ? -1 : router.get("published").getAsLong();
    }

    private static JsonObject byPid(final JsonArray routers, final long pid)
    {
        for (final JsonElement router : routers)
        {
            if (router.getAsJsonObject().get("pid").getAsLong() == pid)
            {
                return router.getAsJsonObject();
            }
        }
        return null;
    }

    private static List<String> names(final JsonArray endpoints)
    {
        final List<String> names = new ArrayList<>();
        endpoints.forEach((endpoint) -> names.add(endpoint.getAsJsonObject().get("name").getAsString()));
        return names;
    }
}
