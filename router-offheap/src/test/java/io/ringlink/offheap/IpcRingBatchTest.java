package io.ringlink.offheap;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link IpcRing#offerBatch}: each record of a batch is a record of its own, in order, written while there is room;
 * a record over the maximum fails after the ones before it were written.
 */
class IpcRingBatchTest
{
    private static final int CAPACITY = 64 * 1024;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void shouldWriteEachRecordOfABatchAsItsOwnUntilTheRingIsFull(final RingKind kind) throws Exception
    {
        final byte[] text = "alpha\nbeta\n\ngamma delta\n".getBytes(StandardCharsets.US_ASCII);
        final int[] offsets = {0, 6, 11, 12};
        final int[] lengths = {5, 4, 0, 11};
        try (IpcRing ring = IpcRing.builder(dir.resolve("ring-" + kind)).kind(kind).capacity(CAPACITY).create())
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(text);
            assertThat(ring.offerBatch(buffer, offsets, lengths, 1, 4)).isEqualTo(3);
            assertThat(ring.producedCount()).isEqualTo(3);
            final List<String> read = new ArrayList<>();
            ring.read((records, offset, length) -> read.add(records.getStringWithoutLengthAscii(offset, length)), 10);
            assertThat(read).containsExactly("beta", "", "gamma delta");

            // Full: the batch stops where the room ends, and says how far it got.
            final int[] many = new int[CAPACITY];
            final int[] sizes = new int[CAPACITY];
            java.util.Arrays.fill(sizes, 5);
            final int written = ring.offerBatch(buffer, many, sizes, 0, many.length);
            assertThat(written).isPositive().isLessThan(many.length);
            assertThat(ring.producedCount()).isEqualTo(3 + written);
            assertThat(ring.offerBatch(buffer, many, sizes, written, many.length)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void shouldRefuseARecordOverTheMaximumAfterWritingTheOnesBeforeIt(final RingKind kind) throws Exception
    {
        try (IpcRing ring = IpcRing.builder(dir.resolve("big-" + kind)).kind(kind).capacity(CAPACITY).create())
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CAPACITY]);
            final int[] offsets = {0, 0, 0};
            final int[] lengths = {8, ring.maxMessageLength() + 1, 8};
            assertThatThrownBy(() -> ring.offerBatch(buffer, offsets, lengths, 0, 3))
                .isInstanceOf(MessageTooLargeException.class);
            assertThat(ring.producedCount()).isOne();
        }
    }
}
