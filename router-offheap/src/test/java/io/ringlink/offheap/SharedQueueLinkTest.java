package io.ringlink.offheap;

import io.ringlink.CircularLinkException;
import io.ringlink.Link;
import io.ringlink.RingLink;
import io.ringlink.Router;
import io.ringlink.WaitStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A {@link SharedQueue} given to {@code RingLink.link} and a {@code Router} as a source and as a destination, with
 * cycles detected by file.
 */
class SharedQueueLinkTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(30)
    void shouldCarryMessagesIntoAndOutOfAQueueThroughLinksAndRouters() throws Exception
    {
        final Path file = dir.resolve("queue");
        final LinkedBlockingQueue<String> in = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<Object> out = new LinkedBlockingQueue<>();
        try (SharedQueue<String> creator = SharedQueue.create(file, 1 << 16, Codecs.utf8());
            Link producer = RingLink.linker().waitStrategy(WaitStrategy.BLOCKING).link(in,
                SharedQueue.open(file, Codecs.utf8()));
            Router<Object> consumer = Router.builder().name("queue-reader").waitStrategy(WaitStrategy.BLOCKING)
                .build())
        {
            consumer.read(SharedQueue.open(file, Codecs.utf8()));
            consumer.write(out);
            for (int i = 0; i < 1000; i++)
            {
                in.put("m" + i);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> out.size() == 1000);
            assertThat(out.poll(1, TimeUnit.SECONDS)).isEqualTo("m0");
            await().atMost(Duration.ofSeconds(10)).until(() -> creator.size() == 0);
            assertThat(producer.failure()).isEmpty();
        }
    }

    @Test
    @Timeout(30)
    void shouldRefuseALinkFromAQueueFileToTheSameFile() throws Exception
    {
        final Path file = dir.resolve("loop");
        try (SharedQueue<String> creator = SharedQueue.create(file, 1 << 16, Codecs.utf8()))
        {
            final SharedQueue<String> reader = SharedQueue.open(file, Codecs.utf8());
            final SharedQueue<String> writer = SharedQueue.open(file, Codecs.utf8());
            try
            {
                assertThatThrownBy(() -> RingLink.link(reader, writer)).isInstanceOf(CircularLinkException.class);
            }
            finally
            {
                reader.close();
                writer.close();
            }
            assertThat(creator.size()).isZero();
        }
    }
}
