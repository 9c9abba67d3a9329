package io.ringlink.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command's help, completion and reports, in this JVM (the end-to-end *IT tests go through the launcher).
 */
class MainTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void captureOutput()
    {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput()
    {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    @ParameterizedTest
    @ValueSource(strings = {"link", "tail", "stat", "bench", "completion"})
    void shouldPrintUsageOfEveryCommandWithHelp(final String command)
    {
        assertThat(Main.run(command, "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: ringlink " + command);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void shouldListTheCommandsButNotTheHiddenEchoInTheTopLevelHelp()
    {
        assertThat(Main.run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("link", "tail", "stat", "bench", "completion")
            .doesNotContain(BenchEchoCommand.NAME);
    }

    @Test
    void shouldPrintABashCompletionScriptForEveryCommandAndOption()
    {
        assertThat(Main.run("completion")).isZero();
        final String script = out.toString(StandardCharsets.UTF_8);
        assertThat(script).contains("complete -F", "ringlink");
        assertThat(script).contains("link", "tail", "stat", "bench", "--ring-size", "busy-spin");
    }

    @Test
    void shouldCountTheUtf8BytesOfTextMessages()
    {
        assertThat(CountingSource.sizeOf("a\uD83D\uDE02")).isEqualTo(5);
        assertThat(CountingSource.sizeOf("\u00e9t\u00e9")).isEqualTo(5);
        assertThat(CountingSource.sizeOf(new byte[7])).isEqualTo(7);
        assertThat(CountingSource.sizeOf(42L)).isEqualTo(8);
    }

    @Test
    void shouldWriteReportsAsJsonWithCamelCaseKeys()
    {
        final Map<String, Object> reader = new LinkedHashMap<>();
        reader.put("name", "quote \" and \\ and \n");
        reader.put("position", null);
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("first index", Report.hex(255));
        report.put("messages", 12L);
        report.put("named readers", List.of(reader));

        final JsonObject json = JsonParser.parseString(Report.json(report)).getAsJsonObject();

        assertThat(json.get("firstIndex").getAsString()).isEqualTo("0xff");
        assertThat(json.get("messages").getAsLong()).isEqualTo(12);
        final JsonObject parsedReader = json.getAsJsonArray("namedReaders").get(0).getAsJsonObject();
        assertThat(parsedReader.get("name").getAsString()).isEqualTo("quote \" and \\ and \n");
        assertThat(parsedReader.get("position").isJsonNull()).isTrue();
        assertThat(Report.table(report)).contains("first index", "0xff", "12", "named readers");
    }

    @Test
    void shouldNameAMissingFileOnceWithWhatWasLookedFor()
    {
        assertThat(Main.oneLine(new NoSuchFileException("/tmp/x", null, "no such ring")))
            .isEqualTo("no such ring: /tmp/x");
        assertThat(Main.oneLine(new NoSuchFileException("/tmp/x")))
            .isEqualTo("no such file: /tmp/x");
    }

    @Test
    void shouldPrintAPidWithoutAThousandsSeparatorAndACountWithOne()
    {
        final Map<String, Object> stat = new LinkedHashMap<>();
        stat.put("produced", 1_234_567L);
        stat.put("consumer pid", 1_234_567L);
        assertThat(Report.table(stat)).contains("1,234,567").contains("consumer pid  1234567");
    }

    @Test
    void shouldOfferUriSchemesAndFromValuesInTheCompletionScript()
    {
        assertThat(Main.run("completion")).isZero();
        final String script = out.toString(StandardCharsets.UTF_8);
        assertThat(script).contains("SRC_pos_param_args=(\"-\" \"file:\" \"fifo:\" \"ipc:\" \"chronicle:\" \"exec:\")")
            .contains("URI_pos_param_args=(\"ipc:\" \"chronicle:\")")
            .contains("_option_args=(\"start\" \"end\") # --from values");
    }
}
