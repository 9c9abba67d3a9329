package io.ringlink.offheap.chronicle;

import io.ringlink.offheap.internal.chronicle.DeliveredPositions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveredPositionsTest
{
    private static final long CYCLE = 0x5134_0000_0000L;
    private static final long NEXT_CYCLE = 0x5135_0000_0000L;

    @Test
    void shouldMapACountInsideABatchOfConsecutiveIndicesToTheExactIndex()
    {
        final DeliveredPositions positions = new DeliveredPositions();
        positions.onBatch(256, 256, CYCLE, CYCLE + 255);
        positions.onBatch(512, 256, CYCLE + 256, CYCLE + 511);
        assertThat(positions.onDelivered(0)).isEqualTo(-1);
        assertThat(positions.onDelivered(1)).isEqualTo(CYCLE);
        assertThat(positions.onDelivered(300)).isEqualTo(CYCLE + 299);
        assertThat(positions.onDelivered(512)).isEqualTo(CYCLE + 511);
        assertThat(positions.onDelivered(512)).as("nothing new").isEqualTo(-1);
    }

    @Test
    void shouldFallBackToTheEndOfTheBatchBeforeWhenABatchSpansACycleRoll()
    {
        final DeliveredPositions positions = new DeliveredPositions();
        positions.onBatch(10, 10, CYCLE, CYCLE + 9);
        // Five in the old cycle, five in the new: the indices are not consecutive, so no exact mapping inside.
        positions.onBatch(20, 10, CYCLE + 10, NEXT_CYCLE + 4);
        assertThat(positions.onDelivered(15)).isEqualTo(CYCLE + 9);
        assertThat(positions.onDelivered(19)).isEqualTo(-1);
        assertThat(positions.onDelivered(20)).isEqualTo(NEXT_CYCLE + 4);
    }

    @Test
    void shouldExtendTheNewestMarkWhenFullAndNeverCommitAheadOfDelivery()
    {
        final DeliveredPositions positions = new DeliveredPositions();
        long handed = 0;
        for (int batch = 0; batch < 3000; batch++)
        {
            handed += 2;
            // A gap of one index between batches: no batch is consecutive with the next.
            positions.onBatch(handed, 2, 3L * batch, 3L * batch + 1);
        }
        assertThat(positions.onDelivered(2)).isEqualTo(1);
        final long extended = positions.onDelivered(handed - 1);
        assertThat(extended).as("inside the extended mark, at a mark boundary before it").isLessThan(3L * 2999);
        assertThat(positions.onDelivered(handed)).isEqualTo(3L * 2999 + 1);
    }
}
