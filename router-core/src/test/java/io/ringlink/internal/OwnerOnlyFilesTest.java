package io.ringlink.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OwnerOnlyFilesTest
{
    @TempDir
    Path temp;

    @Test
    void shouldCreateEachMissingLevelOwnerOnlyAndLeaveExistingOnesAsTheyAre() throws Exception
    {
        final Path existing = Files.createDirectory(temp.resolve("shared"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        final Path deep = existing.resolve("a/b/c");
        assertThat(OwnerOnlyFiles.createDirectories(deep)).isEqualTo(3);
        assertThat(mode(existing)).isEqualTo("rwxr-xr-x");
        assertThat(mode(existing.resolve("a"))).isEqualTo("rwx------");
        assertThat(mode(existing.resolve("a/b"))).isEqualTo("rwx------");
        assertThat(mode(deep)).isEqualTo("rwx------");
        assertThat(OwnerOnlyFiles.createDirectories(deep)).as("nothing left to create").isZero();
    }

    @Test
    void shouldRefuseAPathThroughAFile() throws Exception
    {
        final Path file = Files.createFile(temp.resolve("file"));
        assertThatThrownBy(() -> OwnerOnlyFiles.createDirectories(file.resolve("sub")))
            .isInstanceOf(java.nio.file.FileSystemException.class);
        assertThatThrownBy(() -> OwnerOnlyFiles.createDirectories(file)).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void shouldCreateAFileOwnerOnlyAndOpenAnExistingOneWithoutChangingItsMode() throws Exception
    {
        final Path created = temp.resolve("new.txt");
        try (FileChannel channel = OwnerOnlyFiles.openOrCreate(created, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND))
        {
            channel.write(ByteBuffer.wrap(new byte[]{'a'}));
        }
        assertThat(mode(created)).isEqualTo("rw-------");

        final Path existing = Files.createFile(temp.resolve("old.txt"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        Files.writeString(existing, "x");
        try (FileChannel channel = OwnerOnlyFiles.openOrCreate(existing, StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.APPEND))
        {
            channel.write(ByteBuffer.wrap(new byte[]{'y'}));
        }
        assertThat(mode(existing)).isEqualTo("rw-r-----");
        assertThat(Files.readString(existing)).isEqualTo("xy");
    }

    @Test
    void shouldRestrictFilesAndDirectoriesMadeByOthers() throws Exception
    {
        final Path file = Files.createFile(temp.resolve("cycle.cq4"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-rw-")));
        final Path dir = Files.createDirectory(temp.resolve("d"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        OwnerOnlyFiles.restrict(file);
        OwnerOnlyFiles.restrict(dir);
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(dir)).isEqualTo("rwx------");
    }

    private static String mode(final Path path) throws java.io.IOException
    {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
