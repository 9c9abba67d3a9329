package io.ringlink.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code link}, {@code tail} and {@code stat} over a {@code chronicle:} queue, each command a separate process started
 * through the real launcher: a queue keeps its history, a named reader resumes where it stopped.
 */
@Timeout(180)
class ChronicleCommandsIT
{
    @TempDir
    Path dir;

    @Test
    void shouldKeepAChronicleQueueThatTailReplaysAndStatDescribesWithNamedReaders() throws Exception
    {
        final String queue = "chronicle:" + dir.resolve("queue");
        try (Ringlink link = Ringlink.run(dir, "link", "--quiet", "exec:seq 1 100", queue))
        {
            assertThat(link.exitCode()).as(link.stderr()).isZero();
        }
        try (Ringlink tail = Ringlink.run(dir, "tail", queue + "?name=audit", "--count", "30"))
        {
            assertThat(tail.exitCode()).as(tail.stderr()).isZero();
            assertThat(tail.stdout().lines().toList()).hasSize(30).startsWith("1").endsWith("30");
        }
        try (Ringlink tail = Ringlink.run(dir, "tail", queue + "?name=audit", "--count", "5"))
        {
            assertThat(tail.stdout().lines().toList()).as("a named reader resumes").containsExactly(
                "31", "32", "33", "34", "35");
        }
        try (Ringlink tail = Ringlink.run(dir, "tail", queue))
        {
            assertThat(tail.exitCode()).as(tail.stderr()).isZero();
            assertThat(tail.stdout().lines().toList()).as("history from the start, then it stops").hasSize(100);
        }
        try (Ringlink stat = Ringlink.run(dir, "stat", queue, "--json"))
        {
            assertThat(stat.exitCode()).as(stat.stderr()).isZero();
            final JsonObject json = JsonParser.parseString(stat.stdout()).getAsJsonObject();
            assertThat(json.get("messages").getAsLong()).isEqualTo(100);
            assertThat(json.get("cycles").getAsLong()).isEqualTo(1);
            assertThat(json.get("firstIndex").getAsString()).startsWith("0x");
            final JsonArray readers = json.getAsJsonArray("namedReaders");
            assertThat(readers).hasSize(1);
            final JsonObject reader = readers.get(0).getAsJsonObject();
            assertThat(reader.get("name").getAsString()).isEqualTo("audit");
            assertThat(reader.get("behind").getAsLong()).isEqualTo(65);
        }
        try (Ringlink stat = Ringlink.run(dir, "stat", queue))
        {
            assertThat(stat.stdout()).contains("messages", "100", "named readers", "audit");
        }
    }
}
