package io.ringlink.offheap;

import io.ringlink.offheap.internal.IpcRingDescriptor;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A one-to-one producer killed between moving the tail and writing the record's header leaves a claim without a
 * header over stale bytes (a one-to-one consumer does not zero what it frees). The consumer must skip exactly that
 * claim, not scan the stale bytes for a header.
 */
class IpcUnblockTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void shouldSkipADeadOneToOneClaimWithoutAHeaderUpToWhereTheSuccessorProducerStarted() throws Exception
    {
        final Path file = dir.resolve("ring");
        final List<Long> seen = new ArrayList<>();
        try (IpcRing consumer = IpcRing.builder(file).kind(RingKind.ONE_TO_ONE).capacity(1024).codec("longs")
            .unblockTimeout(Duration.ofMillis(100)).create())
        {
            final UnsafeBuffer value = new UnsafeBuffer(new byte[8]);
            try (IpcRing first = IpcRing.open(file, "longs"))
            {
                // a lap of records, read and freed: the bytes stay behind (stale) in a one-to-one ring
                for (long i = 0; i < 60; i++)
                {
                    value.putLong(0, 1000 + i);
                    assertThat(first.offer(value, 0, 8)).isTrue();
                    consumer.read((buffer, offset, length) -> { }, 10);
                }
                value.putLong(0, 1);
                assertThat(first.offer(value, 0, 8)).isTrue();
            }
            final MappedByteBuffer mapped = IpcRingTest.map(file);
            try
            {
                final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, IpcRingDescriptor.HEADER_LENGTH);
                final RingBuffer raw = IpcRingTest.ringOver(mapped, RingKind.ONE_TO_ONE);
                final int tailIndex = 1024 + RingBufferDescriptor.TAIL_POSITION_OFFSET;
                // a dead producer: it held the role (pid 2^22 - 1 never runs) and moved the tail by a 64-byte claim
                header.putLong(IpcRingDescriptor.PRODUCER_OWNER_OFFSET, (1L << IpcRingDescriptor.OWNER_PID_BITS) - 1);
                raw.buffer().putLongRelease(tailIndex, raw.buffer().getLong(tailIndex) + 64);
            }
            finally
            {
                IoUtil.unmap(mapped);
            }
            try (IpcRing successor = IpcRing.open(file, "longs"))
            {
                for (long i = 2; i <= 3; i++)
                {
                    value.putLong(0, i);
                    assertThat(successor.offer(value, 0, 8)).isTrue();
                }
                await().atMost(Duration.ofSeconds(10)).until(() ->
                {
                    consumer.read((buffer, offset, length) -> seen.add(buffer.getLong(offset)), 10);
                    return seen.size() >= 3;
                });
            }
            consumer.read((buffer, offset, length) -> seen.add(buffer.getLong(offset)), 10);
            assertThat(seen).containsExactly(1L, 2L, 3L);
            assertThat(consumer.unblockedCount()).isOne();
            assertThat(consumer.size()).isZero();
        }
    }
}
