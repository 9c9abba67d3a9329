package io.ringlink.offheap;

import io.ringlink.offheap.internal.IpcRingDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpcRingFileTest
{
    private static final int CAPACITY = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void shouldCreateRingFilesOwnerOnlyInOwnerOnlyDirectories() throws IOException
    {
        final Path file = dir.resolve("a/b/ring");
        try (IpcRing ring = IpcRing.builder(file).capacity(CAPACITY).codec("utf8").create())
        {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a"))))
                .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b"))))
                .isEqualTo("rwx------");
            assertThat(Files.size(file)).isEqualTo(IpcRingDescriptor.fileLength(CAPACITY));
            assertThat(ring.maxMessageLength()).isEqualTo(CAPACITY / 8);
            assertThat(ring.codecName()).isEqualTo("utf8");
            assertThat(ring.kind()).isEqualTo(RingKind.ONE_TO_ONE);
        }
        assertThat(RingFileTestSupport.fileNames(dir.resolve("a/b"))).containsExactly("ring");
    }

    @Test
    void shouldRefuseToCreateOverAnExistingFileUnlessToldToReuseOrReplace() throws IOException
    {
        final Path file = dir.resolve("ring");
        try (IpcRing ring = IpcRing.builder(file).capacity(CAPACITY).codec("bytes").create())
        {
            assertThat(ring.offer(new UnsafeBuffer(new byte[]{1, 2, 3}), 0, 3)).isTrue();
        }
        final byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> IpcRing.builder(file).capacity(CAPACITY).codec("bytes").create())
            .isInstanceOf(RingFileException.class)
            .hasMessageContaining(file.toString())
            .hasMessageContaining("already exists");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);

        try (IpcRing ring = IpcRing.builder(file).codec("bytes").ifExists(IpcRing.IfExists.REUSE).create())
        {
            final List<Integer> lengths = new ArrayList<>();
            assertThat(ring.read((buffer, offset, length) -> lengths.add(length), 10)).isEqualTo(1);
            assertThat(lengths).containsExactly(3);
        }
        try (IpcRing ring = IpcRing.builder(file).capacity(CAPACITY).codec("bytes")
            .ifExists(IpcRing.IfExists.REPLACE).create())
        {
            assertThat(ring.hasRecords()).isFalse();
            assertThat(ring.producedCount()).isZero();
        }
        assertThat(RingFileTestSupport.fileNames(dir)).containsExactly("ring");
    }

    @Test
    void shouldRefuseToReuseAFileOfAnotherKindOrCapacity() throws IOException
    {
        final Path file = dir.resolve("ring");
        IpcRing.builder(file).capacity(CAPACITY).codec("utf8").create().close();
        assertThatThrownBy(() -> IpcRing.builder(file).kind(RingKind.MANY_TO_ONE).codec("utf8")
            .ifExists(IpcRing.IfExists.REUSE).create())
            .isInstanceOf(RingFileException.class).hasMessageContaining("is a ONE_TO_ONE ring");
        assertThatThrownBy(() -> IpcRing.builder(file).capacity(CAPACITY * 2).codec("utf8")
            .ifExists(IpcRing.IfExists.REUSE).create())
            .isInstanceOf(RingFileException.class).hasMessageContaining("has capacity 65536");
    }

    static Stream<Arguments> badFiles()
    {
        return Stream.of(
            Arguments.of("text", (Corruption)(file) -> Files.writeString(file, "hello, not a ring\n"), "utf8",
                "is not a ring file"),
            Arguments.of("empty", (Corruption)(file) -> Files.write(file, new byte[0]), "utf8", "is not a ring file"),
            Arguments.of("wrong magic", (Corruption)(file) -> putLong(file, 0, 0x1234567890L), "utf8",
                "is not a ring file"),
            Arguments.of("other version", (Corruption)(file) -> putInt(file, 8, 2), "utf8", "has format version 2"),
            Arguments.of("unknown kind", (Corruption)(file) -> putInt(file, 12, 7), "utf8", "unknown ring kind 7"),
            Arguments.of("truncated header", (Corruption)(file) -> truncate(file, 300), "utf8",
                "is truncated: 300 bytes, shorter than the 512-byte header"),
            Arguments.of("truncated ring", (Corruption)(file) -> truncate(file, 4096), "utf8",
                "is truncated: 4096 bytes, but a ring of capacity 65536 takes"),
            Arguments.of("longer than its capacity", (Corruption)(file) -> truncate(file, 200_000), "utf8",
                "has the wrong length: 200000 bytes"),
            Arguments.of("capacity not a power of two", (Corruption)(file) -> putInt(file, 16, 65535), "utf8",
                "has invalid capacity 65535"),
            Arguments.of("capacity not matching the length", (Corruption)(file) -> putInt(file, 16, 32768), "utf8",
                "has the wrong length"),
            Arguments.of("corrupt max length", (Corruption)(file) -> putInt(file, 20, 99), "utf8",
                "has max message length 99"),
            Arguments.of("corrupt codec name", (Corruption)(file) -> putInt(file, 24, 1000), "utf8",
                "corrupt codec name length 1000"),
            Arguments.of("other codec", (Corruption)(file) -> { }, "values",
                "holds codec 'utf8' records, but codec 'values' was expected"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void shouldRefuseABadFileNamingItAndTheProblemWithoutTouchingIt(
        final String name, final Corruption corruption, final String codec, final String problem) throws Exception
    {
        final Path file = dir.resolve("ring");
        IpcRing.builder(file).capacity(CAPACITY).codec("utf8").create().close();
        corruption.apply(file);
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000L));
        final byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> IpcRing.open(file, codec))
            .isInstanceOf(RingFileException.class)
            .hasMessageStartingWith("ring file " + file + ": ")
            .hasMessageContaining(problem);
        assertThatThrownBy(() -> IpcRing.builder(file).codec(codec).ifExists(IpcRing.IfExists.REUSE).create())
            .isInstanceOf(RingFileException.class)
            .hasMessageContaining(problem);

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(1_000_000_000L);
        assertThat(RingFileTestSupport.mappingsOf(file)).isZero();
        assertThat(RingFileTestSupport.descriptorsOf(file)).isZero();
    }

    @Test
    void shouldRefuseAMissingFileOrADirectory() throws IOException
    {
        assertThatThrownBy(() -> IpcRing.open(dir.resolve("missing"), null))
            .isInstanceOf(RingFileException.class).hasMessageContaining("missing: does not exist");
        Files.createDirectory(dir.resolve("sub"));
        assertThatThrownBy(() -> IpcRing.open(dir.resolve("sub"), null))
            .isInstanceOf(RingFileException.class).hasMessageContaining("is not a regular file");
    }

    @Test
    void shouldLeaveNoMappingDescriptorOrTemporaryFileAfterClose() throws IOException
    {
        final Path file = dir.resolve("ring");
        final Path doomed = dir.resolve("doomed");
        final IpcRing ring = IpcRing.builder(file).capacity(CAPACITY).codec("bytes").create();
        final IpcRing other = IpcRing.builder(doomed).capacity(CAPACITY).deleteOnClose(true).create();
        assertThat(RingFileTestSupport.mappingsOf(file)).isOne();
        ring.offer(new UnsafeBuffer(new byte[8]), 0, 8);
        ring.read((buffer, offset, length) -> { }, 1);

        ring.close();
        other.close();
        ring.close();

        assertThat(RingFileTestSupport.mappingsOf(file)).isZero();
        assertThat(RingFileTestSupport.mappingsOf(doomed)).isZero();
        assertThat(RingFileTestSupport.descriptorsOf(file)).isZero();
        assertThat(RingFileTestSupport.fileNames(dir)).containsExactly("ring");
        assertThatThrownBy(ring::size).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void shouldPutRingsInDevShmWhenItExists()
    {
        final Path expected = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") :
            Path.of(System.getProperty("java.io.tmpdir"));
        assertThat(IpcRing.defaultDirectory()).isEqualTo(expected);
    }

    @Test
    void shouldDescribeTheHeaderWithFieldsOfDifferentWritersTwoCacheLinesApart()
    {
        assertThat(IpcRingDescriptor.CONSUMER_COUNT_OFFSET - IpcRingDescriptor.PRODUCER_COUNT_OFFSET)
            .isGreaterThanOrEqualTo(128);
        assertThat(IpcRingDescriptor.CONSUMER_OWNER_OFFSET - IpcRingDescriptor.UNBLOCKED_COUNT_OFFSET)
            .isGreaterThanOrEqualTo(64);
        assertThat(IpcRingDescriptor.PRODUCER_COUNT_OFFSET - IpcRingDescriptor.CREATOR_PID_OFFSET)
            .isGreaterThanOrEqualTo(56);
        assertThat(IpcRingDescriptor.HEADER_LENGTH).isGreaterThan(IpcRingDescriptor.CONSUMER_OWNER_OFFSET + 64);
        assertThat(new String(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(IpcRingDescriptor.MAGIC)
            .array(), StandardCharsets.US_ASCII)).isEqualTo("RLNKRING");
    }

    @FunctionalInterface
    interface Corruption
    {
        void apply(Path file) throws IOException;
    }

    private static void putInt(final Path file, final long offset, final int value) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.getChannel().write(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value), offset);
        }
    }

    private static void putLong(final Path file, final long offset, final long value) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.getChannel().write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, value), offset);
        }
    }

    private static void truncate(final Path file, final long length) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(length);
        }
    }
}
