package io.ringlink.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command that reads never creates what it reads, and every command refuses what the user got wrong the same way:
 * exit 2, one line naming it, and nothing new on disk (the directory listing before and after is compared).
 * {@code DIR} in a command line is a temp directory holding {@code plain.txt} (a text file) and {@code empty/} (a
 * directory that is not a queue).
 */
@Timeout(300)
class ReadingNeverCreatesIT
{
    @TempDir
    Path dir;

    @BeforeEach
    void files() throws IOException
    {
        Files.writeString(dir.resolve("plain.txt"), "not a ring\n");
        Files.createDirectory(dir.resolve("empty"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "tail of a missing ring         | tail ipc:DIR/does-not-exist           | no such ring: DIR/does-not-exist",
        "link from a missing ring       | link ipc:DIR/does-not-exist -         | no such ring: DIR/does-not-exist",
        "tail of a ring never made      | tail ipc:DIR/a/never?open-timeout=500ms | no such ring within " +
            "open-timeout=500ms: DIR/a/never",
        "open-timeout on a destination  | link exec:true ipc:DIR/r?open-timeout=1s | open-timeout is for the reading",
        "stat of a missing ring         | stat ipc:DIR/does-not-exist           | no such ring: DIR/does-not-exist",
        "tail of a missing queue        | tail chronicle:DIR/x/nope             | no such queue: DIR/x/nope",
        "link from a missing queue      | link chronicle:DIR/x/nope -           | no such queue: DIR/x/nope",
        "stat of a missing queue        | stat chronicle:DIR/x/nope             | no such queue: DIR/x/nope",
        "tail of a directory, no queue  | tail chronicle:DIR/empty              | is not a chronicle: queue",
        "link from a directory, no queue| link chronicle:DIR/empty -            | is not a chronicle: queue",
        "stat of a directory, no queue  | stat chronicle:DIR/empty              | is not a chronicle: queue",
        "tail of a file as a queue      | tail chronicle:DIR/plain.txt          | is not a chronicle: queue",
        "tail of a text file as a ring  | tail ipc:DIR/plain.txt                | DIR/plain.txt",
        "link from a text file as ring  | link ipc:DIR/plain.txt -              | DIR/plain.txt",
        "stat of a text file as a ring  | stat ipc:DIR/plain.txt                | DIR/plain.txt",
        "link from a missing file       | link file:DIR/missing.txt -           | no such file: DIR/missing.txt",
        "misspelt ring parameter (dst)  | link exec:true ipc:DIR/r?capacty=4m   | unknown parameter 'capacty'",
        "misspelt ring parameter (src)  | tail ipc:DIR/plain.txt?capacty=4m     | unknown parameter 'capacty'",
        "open-timeout past a Duration   | tail ipc:DIR/a/never?open-timeout=999999999999999999h | " +
            "is not a duration that fits",
        "misspelt ring parameter (stat) | stat ipc:DIR/plain.txt?capacty=4m     | unknown parameter 'capacty'",
        "stat of a ring never made      | stat ipc:DIR/a/never?open-timeout=300ms | no such ring within " +
            "open-timeout=300ms: DIR/a/never",
        "misspelt queue parameter       | link exec:true chronicle:DIR/q?nam=a  | unknown parameter 'nam'",
        "misspelt queue parameter (stat)| stat chronicle:DIR/empty?nam=a        | unknown parameter 'nam'",
        "misspelt file parameter        | link file:DIR/plain.txt?folow -       | unknown parameter 'folow'",
        "follow on a fifo               | link fifo:DIR/f?follow -              | unknown parameter 'follow' for fifo:"
    })
    void shouldExitTwoWithOneLineAndCreateNothing(final String what, final String line, final String named)
        throws Exception
    {
        final List<Path> before = listing();
        final String[] args = line.replace("DIR", dir.toString()).split(" ");
        try (Ringlink ringlink = Ringlink.run(dir, args))
        {
            LinkCommandIT.assertUsageError(ringlink, named.replace("DIR", dir.toString()));
        }
        assertThat(listing()).as("nothing made on disk").isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ring      | link exec:true ipc:DIR/r?capacty=4m  | capacity, codec, delete-on-close, kind, open-timeout",
        "queue     | link exec:true chronicle:DIR/q?nam=a | codec, name, retention, roll, start, wait",
        "file      | link file:DIR/plain.txt?folow -      | charset, chunk, codec, follow"
    })
    void shouldNameTheKnownParametersWhenOneIsUnknown(final String what, final String line, final String known)
        throws Exception
    {
        try (Ringlink ringlink = Ringlink.run(dir, line.replace("DIR", dir.toString()).split(" ")))
        {
            assertThat(ringlink.exitCode()).as(ringlink.stderr()).isEqualTo(Main.EXIT_USAGE);
            assertThat(ringlink.stderr()).contains("known: ").contains(known);
        }
    }

    /** Every path under the temp directory except the command's own output files. */
    private List<Path> listing() throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            return paths.filter((path) -> !path.getFileName().toString().startsWith("ringlink-")).sorted().toList();
        }
    }
}
