package io.ringlink.jmh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The performance page judges every target on ratios paired within a round: render-results.py's self-test merges
 * rounds in which one side fell into a slow mode and checks the per-round ratios, their median and the best-round
 * ratio, and judges synthetic rows of the idle, fixed-rate and stalled-sink benchmarks (cores against agents, the
 * stalled sink's times inverted into a throughput ratio, allocation per delivery beyond the peer's window). Needs
 * python3, as jmh/run-benchmarks does.
 */
@Timeout(60)
class RenderResultsTest
{
    @Test
    void shouldMergeRoundsAndPairEveryRatioWithinItsRound() throws IOException, InterruptedException
    {
        final Path script = Path.of(System.getProperty("user.dir")).resolve("render-results.py");
        assertThat(script).exists();
        final Process process = new ProcessBuilder("python3", script.toString(), "--self-test")
            .redirectErrorStream(true)
            .start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("render-results self-test passed");
    }
}
