package io.ringlink.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.ringlink.aeron.AeronSink;
import io.ringlink.aeron.AeronSource;
import io.ringlink.aeron.internal.AeronDrivers;
import io.ringlink.offheap.Codecs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ringlink stat} of an {@code aeron:} URI without {@code dir=}, in this JVM: it finds this JVM's embedded driver
 * under /dev/shm among the others and shows the stream's publisher and subscriber counters.
 */
class AeronStatTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream originalOut;

    @BeforeEach
    void captureOutput()
    {
        originalOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput()
    {
        System.setOut(originalOut);
    }

    @Test
    @Timeout(60)
    void shouldFindThisJvmsEmbeddedDriverAndShowTheStreamsCounters() throws Exception
    {
        final String uri = "aeron:ipc?stream=51|codec=longs";
        final String driverDir = AeronDrivers.defaultEmbeddedDirectory();
        try (AeronSource<Long> source = AeronSource.open(uri, Codecs.longs());
            AeronSink<Long> sink = AeronSink.open(uri, Codecs.longs()))
        {
            for (long i = 0; i < 10; i++)
            {
                sink.put(i);
            }
            final List<Long> read = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() ->
            {
                source.read(read::add, 10);
                return read.size() == 10;
            });
            assertThat(Main.run("stat", "aeron:ipc?stream=51", "--json")).isZero();
            final JsonObject json = JsonParser.parseString(out.toString(StandardCharsets.UTF_8)).getAsJsonObject();
            final List<String> dirs = new ArrayList<>();
            json.getAsJsonArray("drivers").forEach((driver) -> dirs.add(
                driver.getAsJsonObject().get("dir").getAsString()));
            assertThat(dirs).contains(driverDir);
            long publisher = -1;
            long subscriber = -1;
            for (final JsonElement element : json.getAsJsonArray("counters"))
            {
                final JsonObject counter = element.getAsJsonObject();
                if (counter.get("session").getAsInt() != sink.publication().sessionId())
                {
                    continue;
                }
                switch (counter.get("type").getAsString())
                {
                    case "pub-pos" -> publisher = counter.get("value").getAsLong();
                    case "sub-pos" -> subscriber = counter.get("value").getAsLong();
                    default ->
                    {
                    }
                }
            }
            assertThat(publisher).isEqualTo(10 * 64);
            assertThat(subscriber).isEqualTo(publisher);
        }
        assertThat(Path.of(driverDir)).doesNotExist();
    }
}
