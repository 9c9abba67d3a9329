package io.ringlink.offheap;

import io.ringlink.Link;
import io.ringlink.RingLink;
import io.ringlink.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Under {@code umask 000} every directory RingLink creates is 0700 and every file (and FIFO) 0600: a child JVM started
 * by a shell with that umask creates a Chronicle queue two levels deep, an {@code ipc:} ring, a
 * {@link SharedQueue} and a {@link SharedPipe} in new directories, a FIFO and a {@code file:} sink's file.
 */
@Timeout(120)
class OwnerOnlyUnderUmaskTest
{
    private static final String CONTROL = "control";

    @TempDir
    Path temp;

    @Test
    void shouldCreateEveryDirectoryOwnerOnlyAndEveryFileOwnerOnlyWhateverTheUmask() throws Exception
    {
        final Path work = Files.createDirectory(temp.resolve("work"));
        final List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "umask 000; exec \"$@\"", "sh"));
        command.addAll(ChildJvm.command(CreateEverything.class, work.toString()));
        final Process child = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(temp.resolve("child.log").toFile()).start();
        try
        {
            assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("child exits").isTrue();
            assertThat(child.exitValue()).as(Files.readString(temp.resolve("child.log"))).isZero();
        }
        finally
        {
            child.destroyForcibly();
        }

        // The umask really was 000: what Java creates without a mode is open to everyone.
        assertThat(mode(work.resolve(CONTROL))).isEqualTo("rw-rw-rw-");
        assertThat(mode(work.resolve(CONTROL + "-dir"))).isEqualTo("rwxrwxrwx");

        final Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(work))
        {
            paths.filter((path) -> !path.equals(work) && !path.getFileName().toString().startsWith(CONTROL))
                .forEach((path) -> modes.put(work.relativize(path).toString(), kind(path) + " " + mode(path)));
        }
        assertThat(modes).containsKeys("chronicle", "chronicle/a", "chronicle/a/b", "chronicle/a/b/metadata.cq4t",
            "ipc", "ipc/deep", "ipc/deep/ring", "queue", "queue/q", "pipe", "pipe/deep", "pipe/deep/p", "fifo",
            "out.txt");
        assertThat(modes.keySet().stream().filter((name) -> name.endsWith(".cq4"))).hasSize(1);
        final Map<String, String> expected = new TreeMap<>();
        modes.forEach((name, mode) -> expected.put(name, mode.startsWith("dir") ? "dir rwx------" :
            mode.substring(0, mode.indexOf(' ')) + " rw-------"));
        assertThat(modes).as("every path the child made").isEqualTo(expected);
    }

    private static String kind(final Path path)
    {
        try
        {
            final BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
            return attributes.isDirectory() ? "dir" : attributes.isRegularFile() ? "file" : "other";
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static String mode(final Path path)
    {
        try
        {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** Creates one of each kind of file RingLink makes under the directory given, then exits 0. */
    public static final class CreateEverything
    {
        private CreateEverything()
        {
        }

        public static void main(final String[] args) throws Exception
        {
            final Path work = Path.of(args[0]);
            Files.createFile(work.resolve(CONTROL));
            Files.createDirectory(work.resolve(CONTROL + "-dir"));

            try (ChronicleSink<String> sink = ChronicleSink.builder(work.resolve("chronicle/a/b"), Codecs.utf8())
                .build())
            {
                sink.onMessage("one");
            }
            try (IpcRing ring = IpcRing.builder(work.resolve("ipc/deep/ring")).capacity(64 * 1024).create())
            {
                System.out.println("ring " + ring.capacity());
            }
            try (SharedQueue<String> queue = SharedQueue.create(work.resolve("queue/q"), 64 * 1024, Codecs.utf8()))
            {
                queue.put("one");
            }
            try (SharedPipe<String> pipe = SharedPipe.create(work.resolve("pipe/deep/p"), 1 << 12, Codecs.utf8()))
            {
                pipe.end(0).send("one");
            }
            final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>(List.of("one"));
            try (Link link = RingLink.link(lines, "file:" + work.resolve("out.txt")))
            {
                System.out.println("file " + link);
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(work.resolve("out.txt")) &&
                    Files.size(work.resolve("out.txt")) > 0);
            }
            // Nobody opens the FIFO's other end: made, kept, and the link stops within its timeout.
            try (Link link = RingLink.linker().keep(true).stopTimeout(Duration.ofMillis(200))
                .link(new LinkedBlockingQueue<String>(), "fifo:" + work.resolve("fifo")))
            {
                System.out.println("fifo " + Files.exists(work.resolve("fifo")) + " " + link);
            }
            System.exit(0);
        }
    }
}
