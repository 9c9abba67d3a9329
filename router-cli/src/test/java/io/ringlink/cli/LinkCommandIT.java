package io.ringlink.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ringlink link} end to end, through the real launcher.
 */
@Timeout(120)
class LinkCommandIT
{
    private static final Pattern SUMMARY =
        Pattern.compile("link: (stopped by signal; |broken pipe; )?([0-9,]+) messages");

    @TempDir
    Path dir;

    @Test
    void shouldFanOutEveryLineOfACommandToTwoFiles() throws Exception
    {
        final Path first = dir.resolve("first.txt");
        final Path second = dir.resolve("second.txt");
        try (Ringlink ringlink = Ringlink.run(dir, "link", "exec:seq 1 100000", "file:" + first, "file:second.txt"))
        {
            assertThat(ringlink.exitCode()).as(ringlink.stderr()).isZero();
            assertThat(ringlink.stdout()).isEmpty();
            assertThat(summaryCount(ringlink.stderr())).isEqualTo(100_000);
            assertThat(ringlink.stderr()).contains("latency read -> delivered: p50");
            assertLinesAreOneTo(first, 100_000);
            assertLinesAreOneTo(second, 100_000);
        }
    }

    @Test
    void shouldFanOutOnSharedDeliveryAgents() throws Exception
    {
        final Path first = dir.resolve("first.txt");
        try (Ringlink ringlink = Ringlink.run(dir, "link", "--quiet", "--threading", "shared", "--delivery-threads",
            "1", "exec:seq 1 100000", "file:" + first, "file:second.txt"))
        {
            assertThat(ringlink.exitCode()).as(ringlink.stderr()).isZero();
            assertLinesAreOneTo(first, 100_000);
            assertLinesAreOneTo(dir.resolve("second.txt"), 100_000);
        }
    }

    @Test
    void shouldFanOutThroughSpillQueuesThatAreDeletedAtTheEnd() throws Exception
    {
        final Path first = dir.resolve("first.txt");
        final Path spill = dir.resolve("spill");
        try (Ringlink ringlink = Ringlink.run(dir, "link", "--quiet", "--slow", "spill=chronicle:" + spill,
            "exec:seq 1 100000", "file:" + first, "file:second.txt"))
        {
            assertThat(ringlink.exitCode()).as(ringlink.stderr()).isZero();
            assertLinesAreOneTo(first, 100_000);
            assertLinesAreOneTo(dir.resolve("second.txt"), 100_000);
            assertThat(spill.resolve("0")).doesNotExist();
            assertThat(spill.resolve("1")).doesNotExist();
        }
    }

    @Test
    void shouldPipeACommandThroughAnotherCommandByteForByte() throws Exception
    {
        final Path out = dir.resolve("out.txt");
        try (Ringlink ringlink = Ringlink.run(dir, "link", "--quiet", "--codec", "bytes", "exec:seq 1 50000",
            "exec:tr 0-9 a-j > " + out))
        {
            assertThat(ringlink.exitCode()).as(ringlink.stderr()).isZero();
            final List<String> lines = Files.readAllLines(out);
            assertThat(lines).hasSize(50_000);
            assertThat(lines.get(0)).isEqualTo("b");
            assertThat(lines.get(49_999)).isEqualTo("faaaa");
        }
    }

    @Test
    void shouldCopyBytesToASlowDestinationByteForByteInBoundedMemory() throws Exception
    {
        // 256 MiB for a destination that reads nothing for 3 s: byte[] chunks of their own would all be read into
        // the ring meanwhile (16,384 slots of 64 KiB); a pool of 16 reused reads keeps the command near its start.
        final Path in = dir.resolve("in.bin");
        final byte[] block = new byte[1 << 20];
        new Random(3).nextBytes(block);
        try (var out = Files.newOutputStream(in))
        {
            for (int i = 0; i < 256; i++)
            {
                out.write(block);
            }
        }
        final Path out = dir.resolve("out.bin");
        try (Ringlink ringlink = Ringlink.start(dir, null, "link", "--codec", "bytes", "file:" + in,
            "exec:sleep 3; cat > " + out))
        {
            long peakKb = 0;
            while (ringlink.process().isAlive())
            {
                peakKb = Math.max(peakKb, residentKb(ringlink.process().pid()));
                Thread.sleep(20);
            }
            assertThat(ringlink.awaitExit(Duration.ofSeconds(60))).as(ringlink::stderr).isZero();
            assertThat(summaryCount(ringlink.stderr())).isEqualTo(256 * 16);
            assertThat(Files.mismatch(in, out)).isEqualTo(-1);
            assertThat(peakKb).as("peak resident KiB while the destination waited").isPositive()
                .isLessThan(150 * 1024);
        }
    }

    /** The resident set of a live process in KiB, from /proc; 0 once it is gone. */
    private static long residentKb(final long pid)
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")))
            {
                if (line.startsWith("VmRSS:"))
                {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return 0;
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    @Test
    void shouldDrainAndExitZeroWithASummaryOnSigterm() throws Exception
    {
        final Path out = dir.resolve("out.txt");
        try (Ringlink ringlink = Ringlink.start(dir, null, "link", "--quiet", "exec:seq 1 1000000000",
            "exec:cat > " + out))
        {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(out) && Files.size(out) > 100_000);
            ringlink.process().destroy();
            assertThat(ringlink.awaitExit(Duration.ofSeconds(60))).as(ringlink::stderr).isZero();
            final String stderr = ringlink.stderr();
            assertThat(stderr).contains("stopped by signal");
            final long delivered = summaryCount(stderr);
            assertThat(delivered).isPositive();
            assertLinesAreOneTo(out, delivered);
        }
    }

    @Test
    void shouldAbandonAndEndAnExecDestinationThatNeverReadsWithinTheDrainTimeout() throws Exception
    {
        try (Ringlink ringlink = Ringlink.start(dir, null, "link", "--quiet", "--drain-timeout", "2s",
            "exec:seq 1 100000000", "exec:head -c 1 > /dev/null; sleep 1000"))
        {
            // The sleep starts once the first byte arrived, so the link runs: from then on nobody reads the pipe.
            await().atMost(Duration.ofSeconds(60)).until(() -> ringlink.process().descendants()
                .anyMatch((child) -> child.info().command().orElse("").endsWith("/sleep")));
            final List<ProcessHandle> children = ringlink.process().descendants().toList();
            ringlink.process().toHandle().destroy();
            final long start = System.nanoTime();
            assertThat(ringlink.awaitExit(Duration.ofSeconds(30))).as(ringlink::stderr).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(ringlink.stderr()).contains("abandoned after the 2 s drain timeout")
                .contains("(blocked: [exec:head -c 1 > /dev/null; sleep 1000])");
            await().atMost(Duration.ofSeconds(10)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
        }
    }

    @Test
    void shouldStopWithinTheDrainTimeoutAndCountAsUndeliveredWhatAFifoNobodyOpenedNeverGot() throws Exception
    {
        final Path fifo = dir.resolve("nobody");
        try (Ringlink ringlink = Ringlink.start(dir, null, "link", "--quiet", "--drain-timeout", "1s",
            "exec:seq 1 10", "fifo:" + fifo))
        {
            // The delivery thread (named after the source) waits in the FIFO's open for ever; it starts once the
            // signal handler is in place.
            await().atMost(Duration.ofSeconds(60)).until(() -> ringlink.hasThreadNamed("ringlink-link-exec:seq"));
            ringlink.process().toHandle().destroy();
            final long start = System.nanoTime();
            assertThat(ringlink.awaitExit(Duration.ofSeconds(30))).as(ringlink::stderr).isEqualTo(1);
            // The drain timeout and the exit: a stop that also waited a join grace (2 s) fails.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3_000));
            final String stderr = ringlink.stderr();
            assertThat(stderr).contains("stopped by signal; 10 messages")
                .contains("10 deliveries abandoned after the 1 s drain timeout (blocked: [fifo:" + fifo + "])");
        }
    }

    @Test
    void shouldStopWithinTheDrainTimeoutWhenNobodyOpensTheSourceFifo() throws Exception
    {
        final Path fifo = dir.resolve("silent");
        try (Ringlink ringlink = Ringlink.start(dir, null, "link", "--quiet", "--drain-timeout", "1s",
            "fifo:" + fifo, "-"))
        {
            await().atMost(Duration.ofSeconds(60)).until(() -> ringlink.hasThreadNamed("ringlink-link-pump"));
            ringlink.process().toHandle().destroy();
            final long start = System.nanoTime();
            assertThat(ringlink.awaitExit(Duration.ofSeconds(30))).as(ringlink::stderr).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3_000));
            assertThat(ringlink.stderr()).contains("stopped by signal; 0 messages").doesNotContain("blocked: [-]");
        }
        assertThat(fifo).as("the FIFO the link made is removed").doesNotExist();
    }

    @Test
    void shouldStopAtOnceOnSigtermWhileStdinIsSilent() throws Exception
    {
        final Path out = dir.resolve("out.txt");
        try (Ringlink ringlink = Ringlink.startWithStdinPipe(dir, "link", "--quiet", "-", "file:" + out))
        {
            ringlink.stdin().write("first\nsecond\n".getBytes(StandardCharsets.UTF_8));
            ringlink.stdin().flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(out) && Files.size(out) == 13);
            final long start = System.nanoTime();
            ringlink.process().toHandle().destroy(); // SIGTERM only: Process.destroy() would also close stdin
            assertThat(ringlink.awaitExit(Duration.ofSeconds(30))).as(ringlink::stderr).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(ringlink.stderr()).contains("stopped by signal; 2 messages");
            assertThat(Files.readAllLines(out)).containsExactly("first", "second");
        }
    }

    @ParameterizedTest(name = "RINGLINK_JIT={0}")
    @ValueSource(strings = {"", "default"})
    void shouldGiveALinkTheLauncherJitThresholdsUnlessToldToKeepTheJvmDefaults(final String jit) throws Exception
    {
        final Path out = dir.resolve("out.txt");
        try (Ringlink ringlink = Ringlink.startWithStdinPipe(dir, Map.of("RINGLINK_JIT", jit), "link", "--quiet", "-",
            "file:" + out))
        {
            ringlink.stdin().write("line\n".getBytes(StandardCharsets.UTF_8));
            ringlink.stdin().flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(out) && Files.size(out) == 5);
            // The launcher execs the JVM, so the process is the JVM and its command line the launcher's flags.
            final String command = Files.readString(Path.of("/proc", Long.toString(ringlink.process().pid()),
                "cmdline")).replace('\0', ' ');
            assertThat(command).contains("io.ringlink.cli.Main link");
            if (jit.isEmpty())
            {
                assertThat(command).contains("-XX:Tier4InvocationThreshold=50000", "-XX:Tier4BackEdgeThreshold=400000");
            }
            else
            {
                assertThat(command).doesNotContain("Tier4");
            }
            ringlink.stdin().close();
            assertThat(ringlink.awaitExit(Duration.ofSeconds(30))).as(ringlink::stderr).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown scheme         | link nope:x exec:cat                     | unknown scheme 'nope:'",
        "missing file           | link file:missing.txt -                  | no such file",
        "malformed size         | link exec:true file:x?chunk=big          | chunk='big'",
        "tail of a file         | tail file:x.txt                          | tail reads ipc: rings and chronicle:",
        "malformed count        | tail ipc:r --count many                  | --count",
        "stat of nothing        | stat chronicle:missing-queue             | no such queue",
        "stat of a non-queue    | stat chronicle:.                         | is not a chronicle: queue",
        "malformed ring size    | link --ring-size abc exec:true exec:cat  | --ring-size",
        "ring size not pow2     | link --ring-size 1000 exec:true exec:cat | --ring-size must be a power of two",
        "unknown wait strategy  | link --wait fast exec:true exec:cat      | 'fast' is not a wait strategy",
        "unknown slow policy    | link --slow lossy exec:true exec:cat     | block, drop, disconnect=DURATION",
        "unknown threading      | link --threading many exec:true exec:cat | 'many' is not a threading mode",
        "missing destination    | link exec:true                           | DST",
        "unknown command        | frobnicate                               | frobnicate",
        "no command             | ''                                       | missing command",
        "unknown option         | bench --fast                             | --fast"
    })
    void shouldExitTwoWithOneLineNamingTheBadArgument(final String what, final String line, final String named)
        throws Exception
    {
        try (Ringlink ringlink = Ringlink.run(dir, line.isEmpty() ? new String[0] : line.split(" ")))
        {
            assertUsageError(ringlink, named);
        }
    }

    /** Exit 2, one line on stderr that names {@code named} and no internal object, nothing on stdout. */
    static void assertUsageError(final Ringlink ringlink, final String named)
    {
        assertThat(ringlink.exitCode()).as(ringlink.stderr()).isEqualTo(Main.EXIT_USAGE);
        assertThat(ringlink.stderr().lines().toList()).as("one line").hasSize(1).first().asString().contains(named)
            .doesNotContain("@");
        assertThat(ringlink.stdout()).isEmpty();
    }

    @Test
    void shouldExitOneWithOneLineWhenTheSourceFails() throws Exception
    {
        try (Ringlink ringlink = Ringlink.run(dir, "link", "--quiet", "exec:echo partial; exit 3", "exec:cat"))
        {
            assertThat(ringlink.exitCode()).as(ringlink.stderr()).isEqualTo(1);
            assertThat(ringlink.stderr()).contains("exited with status 3").doesNotContain("\tat ");
            assertThat(ringlink.stdout()).isEqualTo("partial\n");
        }
    }

    static long summaryCount(final String stderr)
    {
        final Matcher matcher = SUMMARY.matcher(stderr);
        assertThat(matcher.find()).as("a summary in: %s", stderr).isTrue();
        return Long.parseLong(matcher.group(2).replace(",", ""));
    }

    static void assertLinesAreOneTo(final Path file, final long count) throws IOException
    {
        final List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize((int)count);
        for (int i = 0; i < lines.size(); i++)
        {
            if (!lines.get(i).equals(String.valueOf(i + 1)))
            {
                throw new AssertionError("line " + (i + 1) + " of " + file + " is '" + lines.get(i) + "'");
            }
        }
    }
}
