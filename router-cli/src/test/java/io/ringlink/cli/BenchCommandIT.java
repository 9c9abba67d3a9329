package io.ringlink.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ringlink bench --quick}, the README's first command, through the real launcher.
 */
class BenchCommandIT
{
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void shouldPrintATableAndJsonWithThroughputAndPercentilesOfEveryPhase() throws Exception
    {
        final Path json = dir.resolve("bench.json");
        try (Ringlink ringlink = Ringlink.run(dir, "bench", "--quick", "--wait", "blocking", "--json", json.toString()))
        {
            assertThat(ringlink.exitCode()).as(ringlink.stderr()).isZero();
            final String table = ringlink.stdout();
            assertThat(table).contains(Runtime.getRuntime().availableProcessors() + " cores", "JDK ");
            assertThat(table).contains("in-JVM 1->1", "in-JVM 1->3", "cross-JVM ipc:", "cross-JVM chronicle:");
            assertThat(table).contains("p50", "p99", "p99.9", "max");
            assertThat(ringlink.stderr()).contains("bench: in-JVM 1->1", "bench: in-JVM 1->3");

            final JsonObject result = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
            assertThat(result.get("cores").getAsInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
            final JsonArray phases = result.getAsJsonArray("phases");
            assertThat(phases).hasSize(4);
            for (final JsonElement element : phases)
            {
                final JsonObject phase = element.getAsJsonObject();
                assertThat(phase.get("throughputPerSecond").getAsDouble()).as(phase.toString()).isPositive();
                assertThat(phase.get("samples").getAsLong()).as(phase.toString()).isPositive();
                final long p50 = phase.get("p50Nanos").getAsLong();
                assertThat(p50).as(phase.toString()).isPositive()
                    .isLessThanOrEqualTo(phase.get("p99Nanos").getAsLong());
                assertThat(phase.get("p999Nanos").getAsLong()).isLessThanOrEqualTo(phase.get("maxNanos").getAsLong());
            }
        }
    }
}
