package io.ringlink.internal;

import io.ringlink.MessageHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@link RawLineReader} that fell back to a new buffer per read (no report for a second) and then hears one after
 * all: it pools again, and still never reads into a buffer of a message the report did not say was passed.
 */
@Timeout(30)
class RawLineReaderLateReportTest
{
    @Test
    void shouldPoolAgainAfterALateReportWithoutReusingABufferStillHandedOut()
    {
        final RawLineReader reader = new RawLineReader(16, true);
        final List<RawLines> handed = new ArrayList<>();
        final MessageHandler<Object> keep = (message) -> handed.add((RawLines)message);
        // Past the fallback: 3 pools' worth of reads, the last 2 into new buffers.
        for (int i = 0; i < 3 * RawLineReader.POOL; i++)
        {
            read(reader, keep, i, Duration.ofSeconds(5));
        }
        assertThat(handed).doesNotHaveDuplicates();
        // Late: every sink has passed the first 40 of 48. Reads 48 to 71 may reuse only the buffers of 0 to 39.
        final int passed = 40;
        reader.onDelivered(passed);
        for (int i = 3 * RawLineReader.POOL; i < passed + RawLineReader.POOL; i++)
        {
            read(reader, keep, i, Duration.ofSeconds(1));
        }
        assertThat(reader.buffer(false)).as("the pool is full again: no new buffer once reports come").isNull();
        for (int i = 0; i < handed.size(); i++)
        {
            if (i >= passed)
            {
                assertThat(handed.get(i).bytes()[0]).as("read %d, still handed out", i).isEqualTo((byte)i);
            }
        }
        for (int i = 3 * RawLineReader.POOL; i < handed.size(); i++)
        {
            assertThat(handed.subList(passed, 3 * RawLineReader.POOL)).as("read %d", i).doesNotContain(handed.get(i));
        }
    }

    private static void read(final RawLineReader reader, final MessageHandler<Object> keep, final int read,
        final Duration within)
    {
        final ByteBuffer buffer = await().pollInterval(Duration.ofMillis(10)).atMost(within)
            .until(() -> reader.buffer(false), (b) -> b != null);
        buffer.put((byte)read);
        assertThat(reader.handOver(keep, false)).isEqualTo(1);
    }
}
