package io.ringlink.offheap;

import io.ringlink.offheap.internal.IpcRingDescriptor;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Review of issue 15 (h15): the length of the record at the head is read from the shared file and used (to size the
 * copy, then to move the read position and free) without being checked against the ring's capacity. HELPERS.md:
 * "Every length read from a file or a peer is checked before use." A damaged length must give a clear error naming
 * the file, not an allocation of that size and an {@link IndexOutOfBoundsException} from Agrona.
 */
class SharedQueueDamagedLengthTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void shouldRefuseARecordLengthLargerThanTheRingWithAClearError() throws Exception
    {
        final Path file = dir.resolve("damaged");
        final int capacity = 1 << 12;
        try (SharedQueue<String> queue = SharedQueue.create(file, capacity, Codecs.utf8()))
        {
            queue.put("A");
            final MappedByteBuffer mapped = IpcRingTest.map(file);
            try
            {
                final UnsafeBuffer records = new UnsafeBuffer(mapped, IpcRingDescriptor.HEADER_LENGTH,
                    capacity + RingBufferDescriptor.TRAILER_LENGTH);
                final long head = records.getLong(capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET);
                // 64 MiB, in a 4 KiB ring: a damaged (or hostile) length word
                records.putIntVolatile(RecordDescriptor.lengthOffset((int)head), 64 << 20);
            }
            finally
            {
                IoUtil.unmap(mapped);
            }
            final Throwable thrown = catchThrowable(queue::poll);
            System.out.println("damaged length: poll() threw " + thrown);
            assertThat(thrown).as("a clear error, not Agrona's bounds check after sizing a copy by the length")
                .isNotNull().isNotInstanceOf(IndexOutOfBoundsException.class);
            assertThat(thrown.getMessage()).contains(file.toString());
        }
    }
}
