package io.ringlink.internal;

import io.ringlink.Link;
import io.ringlink.Linker;
import io.ringlink.RingLink;
import io.ringlink.Source;
import io.ringlink.WaitStrategy;
import io.ringlink.test.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code file:PATH?follow=name} follows a log across rotation and truncation as {@code tail -F} does; plain
 * {@code follow} keeps to the open file and reports a truncation.
 */
@Timeout(60)
class FollowFileTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static Linker linker(final String name)
    {
        return RingLink.linker().name(name).waitStrategy(WaitStrategy.BLOCKING).ringSize(1024)
            .stopTimeout(Duration.ofSeconds(5));
    }

    @Test
    void shouldFollowTheNameAcrossARotationLosingAndRepeatingNothing() throws Exception
    {
        final Path log = dir.resolve("app.log");
        final Path rotated = dir.resolve("app.log.1");
        final BlockingQueue<Object> out = new LinkedBlockingQueue<>();
        try (FileChannel writer = append(log))
        {
            write(writer, 1, 1000);
            final Source<Object> source = Endpoints.source("file:" + log + "?follow=name");
            try (Link link = linker("follow-name").link(source, out))
            {
                await().atMost(WAIT).until(() -> out.size() >= 1000);
                Files.move(log, rotated);
                // The old writer still appends to the rotated file before it reopens the name.
                write(writer, 1001, 2000);
                try (FileChannel next = append(log))
                {
                    write(next, 2001, 2999);
                    await().atMost(WAIT).until(() -> out.size() >= 2999);
                    write(next, 3000, 3000);
                    await().atMost(WAIT).until(() -> out.size() >= 3000);
                }
                assertThat(((ChannelSource)source).followed().rotations()).isEqualTo(1);
                assertThat(link.stop().isClean()).isTrue();
            }
        }
        assertThat(new ArrayList<>(out)).isEqualTo(lines(1, 3000));
        Threads.assertNoThreadsNamed("ringlink-follow-name-");
    }

    @Test
    void shouldReadATruncatedFileAgainFromItsStartFollowingTheName() throws Exception
    {
        shouldReadATruncatedFileAgainFromItsStart("file:%s?follow=name", "follow-name-truncated");
    }

    @Test
    void shouldReadATruncatedFileAgainFromItsStartAndCountItFollowingTheDescriptor() throws Exception
    {
        shouldReadATruncatedFileAgainFromItsStart("file:%s?follow", "follow-truncated");
    }

    private void shouldReadATruncatedFileAgainFromItsStart(final String uri, final String name) throws Exception
    {
        final Path log = dir.resolve("app.log");
        final BlockingQueue<Object> out = new LinkedBlockingQueue<>();
        final List<String> before = new ArrayList<>();
        for (int i = 1; i <= 500; i++)
        {
            before.add("a long line before the truncation, number " + i);
        }
        Files.write(log, before);
        final Source<Object> source = Endpoints.source(String.format(uri, log));
        try (Link link = linker(name).link(source, out))
        {
            await().atMost(WAIT).until(() -> out.size() >= 500);
            // copytruncate: emptied in place, then written again, shorter than what was read.
            try (FileChannel writer = FileChannel.open(log, StandardOpenOption.WRITE))
            {
                writer.truncate(0);
                write(writer, 501, 1000);
            }
            await().atMost(WAIT).until(() -> out.size() >= 1000);
            assertThat(((ChannelSource)source).followed().truncations()).isEqualTo(1);
            assertThat(link.stop().isClean()).isTrue();
        }
        final List<String> expected = new ArrayList<>(before);
        expected.addAll(lines(501, 1000));
        assertThat(new ArrayList<>(out)).isEqualTo(expected);
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
    }

    @Test
    void shouldKeepReadingTheOpenFileAfterARotationWhenFollowingTheDescriptor() throws Exception
    {
        final Path log = dir.resolve("app.log");
        final BlockingQueue<Object> out = new LinkedBlockingQueue<>();
        try (FileChannel writer = append(log))
        {
            write(writer, 1, 10);
            try (Link link = linker("follow-descriptor").link("file:" + log + "?follow", out))
            {
                await().atMost(WAIT).until(() -> out.size() >= 10);
                Files.move(log, dir.resolve("app.log.1"));
                Files.write(log, List.of("in the new file"));
                write(writer, 11, 20);
                await().atMost(WAIT).until(() -> out.size() >= 20);
                assertThat(link.stop().isClean()).isTrue();
            }
        }
        assertThat(new ArrayList<>(out)).isEqualTo(lines(1, 20));
    }

    private static FileChannel append(final Path file) throws IOException
    {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private static void write(final FileChannel writer, final int from, final int to) throws IOException
    {
        final StringBuilder text = new StringBuilder();
        for (final String line : lines(from, to))
        {
            text.append(line).append('\n');
        }
        final ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining())
        {
            writer.write(bytes);
        }
    }

    private static List<String> lines(final int from, final int to)
    {
        final List<String> lines = new ArrayList<>();
        for (int i = from; i <= to; i++)
        {
            lines.add(Integer.toString(i));
        }
        return lines;
    }
}
