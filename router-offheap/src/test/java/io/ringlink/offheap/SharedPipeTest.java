package io.ringlink.offheap;

import io.ringlink.offheap.internal.SharedPipeDescriptor;
import io.ringlink.test.Threads;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link SharedPipe} within one JVM (both ends here) and its file: timeouts, poll, one-way pipes, close and end of
 * file, a held end, corrupt headers. The cross-process claims are in {@code SharedPipeCrossProcessTest}.
 */
@Timeout(30)
class SharedPipeTest
{
    @TempDir
    Path dir;

    @Test
    void shouldCarryMessagesBothWaysInOrder() throws Exception
    {
        try (SharedPipe<String> pipe = SharedPipe.create(dir.resolve("pipe"), 1 << 12, Codecs.utf8()))
        {
            final SharedPipe.End<String> a = pipe.end(0);
            final SharedPipe.End<String> b = pipe.end(1);
            assertThat(pipe.end(0)).isSameAs(a);
            // more than the ring holds, so the rings wrap (padding at the end) many times
            final CompletableFuture<Void> echo = CompletableFuture.runAsync(() ->
            {
                try
                {
                    for (int i = 0; i < 5_000; i++)
                    {
                        b.send(b.recv().toUpperCase());
                    }
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            for (int i = 0; i < 5_000; i++)
            {
                a.send("m" + i + "x".repeat(i % 97));
                assertThat(a.recv()).isEqualTo("M" + i + "X".repeat(i % 97));
            }
            echo.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldReturnNullFromATimedRecvWhenNothingComesInTime() throws Exception
    {
        try (SharedPipe<String> pipe = SharedPipe.create(dir.resolve("pipe"), 1 << 12, Codecs.utf8()))
        {
            final SharedPipe.End<String> a = pipe.end(0);
            final long start = System.nanoTime();
            assertThat(a.recv(Duration.ofMillis(200))).isNull();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
            assertThat(a.recv(Duration.ZERO)).isNull();
            pipe.end(1).send("late");
            assertThat(a.recv(Duration.ofSeconds(5))).isEqualTo("late");
        }
    }

    @Test
    void shouldSayWhetherAMessageIsWaitingWithoutTakingIt() throws Exception
    {
        try (SharedPipe<String> pipe = SharedPipe.create(dir.resolve("pipe"), 1 << 12, Codecs.utf8()))
        {
            final SharedPipe.End<String> a = pipe.end(0);
            final SharedPipe.End<String> b = pipe.end(1);
            assertThat(a.poll()).isFalse();
            final long start = System.nanoTime();
            assertThat(a.poll(Duration.ofMillis(150))).isFalse();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));

            final CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return a.poll(Duration.ofSeconds(10));
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            b.send("one");
            assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(a.poll()).as("poll takes nothing").isTrue();
            assertThat(a.recv()).isEqualTo("one");
            assertThat(a.poll()).isFalse();
            assertThat(b.poll()).as("the other direction is empty").isFalse();
        }
    }

    @Test
    void shouldFindAMessageThatWrappedBehindPaddingWhenPolling() throws Exception
    {
        try (SharedPipe<byte[]> pipe = SharedPipe.create(dir.resolve("pipe"), 1024, Codecs.bytes()))
        {
            final SharedPipe.End<byte[]> a = pipe.end(0);
            final SharedPipe.End<byte[]> b = pipe.end(1);
            // records of 8 + 120 = 128 bytes, 8 per lap; 100 bytes leave 1024 - 3 * 112 = 688, so laps end in padding
            for (int i = 0; i < 200; i++)
            {
                final byte[] message = new byte[i % 3 == 0 ? 100 : 120];
                Arrays.fill(message, (byte)i);
                b.send(message);
                assertThat(a.poll()).as("message %d waiting", i).isTrue();
                assertThat(a.recv()).isEqualTo(message);
                assertThat(a.poll()).isFalse();
            }
        }
    }

    @Test
    void shouldRefuseSendOnTheReceivingEndAndRecvOnTheSendingEndOfAOneWayPipe() throws Exception
    {
        final Path file = dir.resolve("one-way");
        try (SharedPipe<String> pipe = SharedPipe.create(file, 1 << 12, Codecs.utf8(), false))
        {
            assertThat(pipe.isDuplex()).isFalse();
            assertThat(Files.size(file)).as("one ring only").isEqualTo(SharedPipeDescriptor.fileLength(1 << 12, 1));
            final SharedPipe.End<String> reader = pipe.end(0);
            final SharedPipe.End<String> writer = pipe.end(1);
            assertThat(reader.canReceive()).isTrue();
            assertThat(reader.canSend()).isFalse();
            assertThat(writer.canSend()).isTrue();
            assertThat(writer.canReceive()).isFalse();
            assertThatThrownBy(() -> reader.send("no")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("end 0").hasMessageContaining("only receives");
            assertThatThrownBy(writer::recv).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("end 1").hasMessageContaining("only sends");
            assertThatThrownBy(writer::poll).isInstanceOf(IllegalStateException.class);
            writer.send("yes");
            assertThat(reader.recv()).isEqualTo("yes");
        }
        try (SharedPipe<String> again = SharedPipe.open(file, Codecs.utf8()))
        {
            assertThat(again.isDuplex()).as("an opened pipe is as it was created").isFalse();
        }
    }

    @Test
    void shouldRaiseEndOfFileAfterTheRemainingMessagesOnceThePeerClosed() throws Exception
    {
        try (SharedPipe<String> pipe = SharedPipe.create(dir.resolve("pipe"), 1 << 12, Codecs.utf8()))
        {
            final SharedPipe.End<String> a = pipe.end(0);
            final SharedPipe.End<String> b = pipe.end(1);
            b.send("x");
            b.send("y");
            b.close();
            assertThat(a.poll()).isTrue();
            assertThat(a.recv()).isEqualTo("x");
            assertThat(a.recv(Duration.ofSeconds(1))).isEqualTo("y");
            assertThat(a.poll()).as("recv would not wait: it raises").isTrue();
            assertThatThrownBy(a::recv).isInstanceOf(EOFException.class)
                .isInstanceOfSatisfying(SharedPipe.PeerGoneException.class, (ex) -> assertThat(ex.died()).isFalse())
                .hasMessageContaining("end 1 was closed");
            assertThatThrownBy(() -> a.send("z")).isInstanceOf(SharedPipe.PeerGoneException.class)
                .hasMessageContaining("cannot send");
            assertThatThrownBy(() -> pipe.end(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was closed");
        }
    }

    @Test
    void shouldLetAnotherHolderTakeAnEndClosedNormallyAndContinue() throws Exception
    {
        final Path file = dir.resolve("pipe");
        try (SharedPipe<String> pipe = SharedPipe.create(file, 1 << 12, Codecs.utf8()))
        {
            final SharedPipe.End<String> a = pipe.end(0);
            try (SharedPipe<String> first = SharedPipe.open(file, Codecs.utf8()))
            {
                first.end(1).send("from first");
                a.send("left for the next holder");
            }
            assertThat(a.recv()).isEqualTo("from first");
            assertThatThrownBy(() -> a.send("nobody holds end 1")).isInstanceOf(SharedPipe.PeerGoneException.class);
            try (SharedPipe<String> second = SharedPipe.open(file, Codecs.utf8()))
            {
                final SharedPipe.End<String> b = second.end(1);
                assertThat(b.recv()).isEqualTo("left for the next holder");
                b.send("from second");
            }
            assertThat(a.recv()).isEqualTo("from second");
        }
    }

    @Test
    void shouldRefuseAnEndAnotherPipeObjectHoldsNamingThisProcess() throws Exception
    {
        final Path file = dir.resolve("pipe");
        try (SharedPipe<String> pipe = SharedPipe.create(file, 1 << 12, Codecs.utf8());
            SharedPipe<String> other = SharedPipe.open(file, Codecs.utf8()))
        {
            pipe.end(0);
            assertThatThrownBy(() -> other.end(0)).isInstanceOfSatisfying(RingRoleException.class,
                (ex) -> assertThat(ex.holderPid()).isEqualTo(ProcessHandle.current().pid()));
            assertThat(other.end(1).peerPid()).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void shouldWakeAWaitingRecvWhenItsEndIsClosed() throws Exception
    {
        try (SharedPipe<String> pipe = SharedPipe.create(dir.resolve("pipe"), 1 << 12, Codecs.utf8()))
        {
            final SharedPipe.End<String> a = pipe.end(0);
            final CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return a.recv();
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            Threads.awaitAnyThreadInside(Duration.ofSeconds(5), "awaitMessage");
            final long start = System.nanoTime();
            a.close();
            assertThat(System.nanoTime() - start).as("close waits only for the waiter to wake")
                .isLessThan(TimeUnit.SECONDS.toNanos(1));
            assertThat(waiting).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .havingRootCause().isInstanceOf(IllegalStateException.class).withMessageContaining("was closed");
            assertThatThrownBy(a::recv).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void shouldRefuseNullsAndMessagesOverTheLimit() throws Exception
    {
        try (SharedPipe<byte[]> pipe = SharedPipe.create(dir.resolve("pipe"), 1024, Codecs.bytes()))
        {
            final SharedPipe.End<byte[]> a = pipe.end(0);
            assertThat(pipe.maxMessageLength()).isEqualTo(128);
            assertThatThrownBy(() -> a.send(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> a.send(new byte[129])).isInstanceOf(MessageTooLargeException.class)
                .hasMessageContaining("129").hasMessageContaining("128");
            a.send(new byte[128]);
            assertThat(pipe.end(1).recv()).hasSize(128);
        }
    }

    @Test
    void shouldDropAMessageThatDoesNotDecodeAndGoOn() throws Exception
    {
        final Path file = dir.resolve("pipe");
        final Codec<byte[]> rawBytesNamedUtf8 = new Codec<>()
        {
            @Override
            public String name()
            {
                return "utf8";
            }

            @Override
            public int encode(final byte[] message, final MutableDirectBuffer buffer, final int offset)
            {
                buffer.putBytes(offset, message);
                return message.length;
            }

            @Override
            public byte[] decode(final DirectBuffer buffer, final int offset, final int length)
            {
                throw new UnsupportedOperationException();
            }
        };
        try (SharedPipe<String> pipe = SharedPipe.create(file, 1 << 12, Codecs.utf8());
            SharedPipe<byte[]> raw = SharedPipe.open(file, rawBytesNamedUtf8))
        {
            final SharedPipe.End<String> a = pipe.end(0);
            final SharedPipe.End<byte[]> b = raw.end(1);
            b.send(new byte[]{(byte)0xFF, (byte)0xFE});
            b.send("fine".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(a::recv).isInstanceOf(CodecException.class);
            assertThat(a.recv()).isEqualTo("fine");
        }
    }

    @Test
    void shouldGiveUpAWaitingRecvWhenInterrupted() throws Exception
    {
        try (SharedPipe<String> pipe = SharedPipe.create(dir.resolve("pipe"), 1 << 12, Codecs.utf8()))
        {
            final SharedPipe.End<String> a = pipe.end(0);
            final CompletableFuture<Throwable> waiting = new CompletableFuture<>();
            final Thread waiter = new Thread(() ->
            {
                try
                {
                    waiting.complete(new AssertionError("returned " + a.recv()));
                }
                catch (final Exception ex)
                {
                    waiting.complete(ex);
                }
            });
            waiter.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
            waiter.interrupt();
            assertThat(waiting.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            waiter.join(5_000);
            pipe.end(1).send("still works");
            assertThat(a.recv()).isEqualTo("still works");
        }
    }

    @Test
    void shouldUnmapOnCloseAndDeleteOnlyWhenAsked() throws Exception
    {
        final Path kept = dir.resolve("kept");
        final SharedPipe<String> pipe = SharedPipe.create(kept, 1 << 12, Codecs.utf8());
        pipe.end(0).send("stays");
        pipe.close();
        pipe.close();
        assertThat(RingFileTestSupport.mappingsOf(kept)).isZero();
        assertThat(RingFileTestSupport.descriptorsOf(kept)).isZero();
        assertThatThrownBy(() -> pipe.end(0)).isInstanceOf(IllegalStateException.class);
        try (SharedPipe<String> reopened = SharedPipe.open(kept, Codecs.utf8()))
        {
            assertThat(reopened.end(1).recv()).isEqualTo("stays");
        }

        final Path deleted = dir.resolve("deleted");
        try (SharedPipe<String> temporary = SharedPipe.builder(deleted).codec(Codecs.utf8()).capacity(1 << 12)
            .deleteOnClose(true).create())
        {
            temporary.end(0);
        }
        assertThat(deleted).doesNotExist();
        assertThat(RingFileTestSupport.fileNames(dir)).containsExactly("kept");
    }

    @Test
    void shouldRefuseToCreateOverAFileAndToOpenWhatIsMissingWithoutCreatingIt() throws Exception
    {
        final Path file = dir.resolve("pipe");
        SharedPipe.create(file, 1 << 12, Codecs.utf8()).close();
        assertThatThrownBy(() -> SharedPipe.create(file, 1 << 12, Codecs.utf8())).isInstanceOf(RingFileException.class)
            .hasMessageContaining("already exists");
        assertThatThrownBy(() -> SharedPipe.open(dir.resolve("missing"), Codecs.utf8()))
            .isInstanceOf(RingFileException.class).hasMessageContaining("does not exist");
        assertThat(dir.resolve("missing")).doesNotExist();
        assertThatThrownBy(() -> SharedPipe.open(file, Codecs.longs())).isInstanceOf(RingFileException.class)
            .hasMessageContaining("holds codec 'utf8'");
        assertThatThrownBy(() -> SharedPipe.create(dir.resolve("odd"), 1000, Codecs.utf8()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity=1000");
        assertThat(RingFileTestSupport.fileNames(dir)).containsExactly("pipe");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad magic            | 0  | 8 | 1               | not a pipe file",
        "other version        | 8  | 4 | 2               | format version 2",
        "unknown flag         | 12 | 4 | 3               | unknown flags",
        "capacity not 2^n     | 16 | 4 | 3000            | invalid capacity 3000",
        "capacity too large   | 16 | 4 | 1073741824      | invalid capacity",
        "max message length   | 20 | 4 | 99999           | corrupt max message length 99999",
        "codec name length    | 24 | 4 | 1000            | corrupt codec name length 1000",
        "negative name length | 24 | 4 | -1              | corrupt codec name length -1",
        "ring count           | 60 | 4 | 7               | corrupt ring count 7",
        "header length        | 80 | 4 | 64              | corrupt header length 64",
        "ring length          | 84 | 4 | 2147483647      | corrupt ring length 2147483647",
        "file length          | 88 | 8 | 9999999999      | corrupt file length 9999999999",
        "end state            | 136| 4 | 9               | corrupt state 9 for end 0",
    })
    void shouldRefuseACorruptHeaderNamingTheFieldWithoutTouchingTheFile(
        final String name, final int offset, final int width, final long value, final String expected)
        throws Exception
    {
        final Path file = dir.resolve("pipe");
        SharedPipe.create(file, 1 << 12, Codecs.utf8()).close();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            final ByteBuffer bytes = ByteBuffer.allocate(width).order(ByteOrder.nativeOrder());
            if (width == 8)
            {
                bytes.putLong(0, value);
            }
            else
            {
                bytes.putInt(0, (int)value);
            }
            channel.write(bytes, offset);
        }
        final byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> SharedPipe.open(file, Codecs.utf8())).isInstanceOf(RingFileException.class)
            .hasMessageContaining(file.toString()).hasMessageContaining(expected);
        assertThat(Files.readAllBytes(file)).as("left as it was").isEqualTo(before);
    }

    @Test
    void shouldRefuseATruncatedOrLengthenedFile() throws Exception
    {
        final Path file = dir.resolve("pipe");
        SharedPipe.create(file, 1 << 12, Codecs.utf8()).close();
        final long length = Files.size(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(length - 1);
        }
        assertThatThrownBy(() -> SharedPipe.open(file, Codecs.utf8())).isInstanceOf(RingFileException.class)
            .hasMessageContaining("is truncated");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.allocate(2), length - 1);
        }
        assertThatThrownBy(() -> SharedPipe.open(file, Codecs.utf8())).isInstanceOf(RingFileException.class)
            .hasMessageContaining("wrong length");
        Files.write(file, new byte[]{1, 2, 3});
        assertThatThrownBy(() -> SharedPipe.open(file, Codecs.utf8())).isInstanceOf(RingFileException.class)
            .hasMessageContaining("not a pipe file");
    }

    @Test
    void shouldKeepTheEndsFieldsTwoCacheLinesApartAndTheRingsAfterTheHeader()
    {
        assertThat(SharedPipeDescriptor.endOffset(1, 0) - SharedPipeDescriptor.endOffset(0, 0)).isEqualTo(128);
        assertThat(SharedPipeDescriptor.endOffset(0, 0)).isGreaterThanOrEqualTo(128);
        assertThat(SharedPipeDescriptor.endOffset(1, SharedPipeDescriptor.END_HEARTBEAT_FIELD) + 8)
            .isLessThanOrEqualTo(SharedPipeDescriptor.HEADER_LENGTH);
        assertThat(SharedPipeDescriptor.ringOffset(1, 1024)).isEqualTo(SharedPipeDescriptor.HEADER_LENGTH);
        assertThat(SharedPipeDescriptor.ringOffset(0, 1024))
            .isEqualTo(SharedPipeDescriptor.HEADER_LENGTH + SharedPipeDescriptor.ringLength(1024));
    }
}
