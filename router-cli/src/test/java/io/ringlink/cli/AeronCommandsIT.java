package io.ringlink.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ringlink.aeron.NetworkNamespaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ringlink link - aeron:...} on one host and {@code ringlink tail aeron:...} on another, the hosts being two
 * network namespaces joined by a veth pair; {@code ringlink stat} of the stream while it runs. Needs root and
 * {@code ip netns}: without them the test fails, saying so.
 */
@Timeout(240)
class AeronCommandsIT
{
    private static final int LINES = 50_000;

    @TempDir
    Path dir;

    private Process ringlink(final String namespace, final String name, final ProcessBuilder.Redirect stdin,
        final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Ringlink.launcher().toString());
        command.addAll(List.of(args));
        return Ringlink.countersIn(new ProcessBuilder(NetworkNamespaces.inside(namespace, command))
            .directory(dir.toFile())
            .redirectInput(stdin)
            .redirectOutput(dir.resolve(name + ".out").toFile())
            .redirectError(dir.resolve(name + ".err").toFile()), dir)
            .start();
    }

    private String read(final String name) throws IOException
    {
        return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
    }

    private static int await(final Process process) throws InterruptedException
    {
        if (!process.waitFor(180, TimeUnit.SECONDS))
        {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("ringlink did not end in time");
        }
        return process.exitValue();
    }

    private static void kill(final Process process)
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    @Test
    void shouldCarryStdinByteForByteFromLinkInOneNamespaceToTailInAnother() throws Exception
    {
        final Path input = dir.resolve("input.txt");
        Files.writeString(input, IntStream.rangeClosed(1, LINES).mapToObj((i) -> "line " + i + " a😂 é")
            .collect(Collectors.joining("\n", "", "\n")), StandardCharsets.UTF_8);
        try (NetworkNamespaces hosts = NetworkNamespaces.create())
        {
            final String stream = "aeron:udp?endpoint=" + hosts.addressB() + ":40131|stream=7";
            final Process tail = ringlink(hosts.b(), "tail", ProcessBuilder.Redirect.from(new File("/dev/null")),
                "tail", stream + "|dir=" + dir.resolve("b"), "--count", Integer.toString(LINES));
            try
            {
                final Process link = ringlink(hosts.a(), "link", ProcessBuilder.Redirect.from(input.toFile()),
                    "link", "--quiet", "-", stream + "|connect-timeout=60s|dir=" + dir.resolve("a"));
                try
                {
                    assertThat(await(link)).as(() -> unchecked("link.err")).isZero();
                    assertThat(await(tail)).as(() -> unchecked("tail.err")).isZero();
                }
                finally
                {
                    kill(link);
                }
            }
            finally
            {
                kill(tail);
            }
            assertThat(Files.mismatch(input, dir.resolve("tail.out"))).as("first differing byte").isEqualTo(-1);
        }
        assertThat(dir.resolve("a")).doesNotExist();
        assertThat(dir.resolve("b")).doesNotExist();
    }

    @Test
    void shouldStatTheDriversCountersOfARunningStream() throws Exception
    {
        try (NetworkNamespaces hosts = NetworkNamespaces.create())
        {
            final String stream = "aeron:udp?endpoint=" + hosts.addressB() + ":40132|stream=8";
            final String linkDir = dir.resolve("a").toString();
            final Process tail = ringlink(hosts.b(), "tail", ProcessBuilder.Redirect.from(new File("/dev/null")),
                "tail", stream + "|dir=" + dir.resolve("b"), "--count", "1000");
            final Process link = ringlink(hosts.a(), "link", ProcessBuilder.Redirect.PIPE,
                "link", "--quiet", "-", stream + "|connect-timeout=60s|dir=" + linkDir);
            try
            {
                try (OutputStream stdin = link.getOutputStream())
                {
                    for (int i = 0; i < 1000; i++)
                    {
                        stdin.write(("message " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                    stdin.flush();
                    assertThat(await(tail)).as(() -> unchecked("tail.err")).isZero();
                    assertThat(read("tail.out").lines().count()).isEqualTo(1000);

                    final Process stat = ringlink(hosts.a(), "stat",
                        ProcessBuilder.Redirect.from(new File("/dev/null")), "stat", stream + "|dir=" + linkDir,
                        "--json");
                    assertThat(await(stat)).as(() -> unchecked("stat.err")).isZero();
                    final JsonObject json = JsonParser.parseString(read("stat.out")).getAsJsonObject();
                    assertThat(json.get("stream").getAsLong()).isEqualTo(8);
                    final JsonArray counters = json.getAsJsonArray("counters");
                    assertThat(value(counters, "pub-pos")).isGreaterThanOrEqualTo(1000L * 32);
                    assertThat(value(counters, "snd-pos")).isEqualTo(value(counters, "pub-pos"));
                    assertThat(value(counters, "snd-bpe")).isGreaterThanOrEqualTo(0);

                    final Process table = ringlink(hosts.a(), "table",
                        ProcessBuilder.Redirect.from(new File("/dev/null")), "stat", stream + "|dir=" + linkDir);
                    assertThat(await(table)).as(() -> unchecked("table.err")).isZero();
                    assertThat(read("table.out")).contains("pub-pos").contains("snd-bpe").contains("stream");
                }
                assertThat(await(link)).as(() -> unchecked("link.err")).isZero();
            }
            finally
            {
                kill(link);
                kill(tail);
            }
        }
    }

    @Test
    void shouldExitTwoWithOneLineNamingABadAeronUri() throws Exception
    {
        final String unknownKey = "aeron:udp?endpoint=localhost:40133|strem=7";
        try (Ringlink ringlink = Ringlink.run(dir, "tail", unknownKey, "--count", "1"))
        {
            assertThat(ringlink.exitCode()).as(ringlink.stderr()).isEqualTo(2);
            assertThat(ringlink.stderr().lines().toList()).hasSize(1).first().asString()
                .contains(unknownKey).contains("unknown parameter 'strem'");
        }
        final String badMedia = "aeron:tcp?endpoint=localhost:40133";
        try (Ringlink ringlink = Ringlink.run(dir, "link", "exec:true", badMedia))
        {
            assertThat(ringlink.exitCode()).as(ringlink.stderr()).isEqualTo(2);
            assertThat(ringlink.stderr().lines().toList()).hasSize(1).first().asString().contains(badMedia);
        }
    }

    private static long value(final JsonArray counters, final String type)
    {
        for (final JsonElement element : counters)
        {
            final JsonObject counter = element.getAsJsonObject();
            if (counter.get("type").getAsString().equals(type))
            {
                return counter.get("value").getAsLong();
            }
        }
        throw new AssertionError("no " + type + " counter in " + counters);
    }

    private String unchecked(final String name)
    {
        try
        {
            return read(name);
        }
        catch (final IOException ex)
        {
            return "(unreadable: " + ex + ")";
        }
    }
}
