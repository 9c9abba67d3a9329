package io.ringlink.offheap.chronicle;

import io.ringlink.Router;
import io.ringlink.ThreadingMode;
import io.ringlink.WaitStrategy;
import io.ringlink.offheap.ChronicleSink;
import io.ringlink.offheap.ChronicleSource;
import io.ringlink.offheap.Codecs;
import io.ringlink.test.ChildJvm;
import io.ringlink.test.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.ringlink.offheap.chronicle.ChronicleMains.message;
import static io.ringlink.offheap.chronicle.ChronicleMains.sequenceOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Chronicle links between real JVMs: history, live following, crashes of writers and readers, fan-out.
 */
@Timeout(300)
class ChronicleProcessTest
{
    private static final int MILLION = 1_000_000;
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    Path temp;

    @Test
    void shouldReplayTheHistoryToALateConsumerAndFollowLiveWithAnEarlyOne() throws Exception
    {
        final Path dir = temp.resolve("q");
        final Path gate = temp.resolve("gate");
        try (ChildJvm producer = ChildJvm.start(temp, ChronicleMains.Producer.class, dir.toString(), "0",
            Integer.toString(MILLION), "gate=" + gate))
        {
            await().atMost(Duration.ofSeconds(60)).until(() -> producer.stdout().contains("paused"));
            try (ChildJvm live = ChildJvm.start(temp, ChronicleMains.Consumer.class, dir.toString(),
                Integer.toString(MILLION), "start"))
            {
                // The consumer has read all the paused producer wrote; the second half it can only follow live.
                await().atMost(Duration.ofSeconds(60)).until(() -> live.stdout().contains("caught-up"));
                assertThat(live.stdout()).contains("caught-up " + (MILLION / 2 + 1));
                Files.createFile(gate);
                assertThat(producer.awaitExit(CHILD_TIMEOUT)).as(producer.output()).isZero();
                assertThat(live.awaitExit(CHILD_TIMEOUT)).as(live.output()).isZero();
                assertThat(live.stdout()).contains("ok " + MILLION);
            }
        }
        try (ChildJvm history = ChildJvm.start(temp, ChronicleMains.Consumer.class, dir.toString(),
            Integer.toString(MILLION), "start"))
        {
            assertThat(history.awaitExit(CHILD_TIMEOUT)).as(history.output()).isZero();
            assertThat(history.stdout()).contains("ok " + MILLION);
        }
    }

    @Test
    void shouldNeverDeliverTheHalfWrittenDocumentOfAKilledProducerAndLetANewProducerAppend() throws Exception
    {
        final Path dir = temp.resolve("q");
        try (ChildJvm producer = ChildJvm.start(temp, ChronicleMains.Producer.class, dir.toString(), "0", "1000",
            "half"))
        {
            await().atMost(Duration.ofSeconds(60)).until(() -> producer.stdout().contains("half-written"));
            producer.kill();
        }
        try (ChronicleSource<String> source = ChronicleSource.builder(dir, Codecs.utf8()).build())
        {
            final List<String> read = ChronicleLinkTest.readAll(source, 1000);
            assertThat(read).hasSize(1000);
            for (int i = 0; i < read.size(); i++)
            {
                assertThat(sequenceOf(read.get(i))).as(read.get(i)).isEqualTo(i);
            }
            assertThat(source.read((message) -> read.add(message), 10)).as("nothing partial").isZero();

            try (ChildJvm next = ChildJvm.start(temp, ChronicleMains.Producer.class, dir.toString(), "1000", "500"))
            {
                assertThat(next.awaitExit(CHILD_TIMEOUT)).as(next.output()).isZero();
            }
            final List<String> after = ChronicleLinkTest.readAll(source, 500);
            assertThat(after).hasSize(500);
            for (int i = 0; i < after.size(); i++)
            {
                assertThat(sequenceOf(after.get(i))).as(after.get(i)).isEqualTo(1000 + i);
            }
        }
    }

    @Test
    void shouldKeepEveryCompletedMessageWhenTheProducerIsKilledMidStream() throws Exception
    {
        final Path dir = temp.resolve("q");
        try (ChildJvm producer = ChildJvm.start(temp, ChronicleMains.Producer.class, dir.toString(), "0",
            Long.toString(Long.MAX_VALUE / 2)))
        {
            await().atMost(Duration.ofSeconds(60)).until(() -> producer.stdout().contains("started"));
            try (ChronicleSource<String> source = ChronicleSource.builder(dir, Codecs.utf8()).build())
            {
                final List<String> read = new ArrayList<>();
                await().atMost(Duration.ofSeconds(60)).until(() ->
                {
                    source.read(read::add, 4096);
                    return read.size() >= 50_000;
                });
                producer.kill();
                int idle = 0;
                while (idle < 3)
                {
                    idle = source.read(read::add, 4096) == 0 ? idle + 1 : 0;
                }
                final int completed = read.size();
                for (int i = 0; i < completed; i++)
                {
                    assertThat(sequenceOf(read.get(i))).as(read.get(i)).isEqualTo(i);
                }
                try (ChildJvm next = ChildJvm.start(temp, ChronicleMains.Producer.class, dir.toString(),
                    Integer.toString(completed), "1000"))
                {
                    assertThat(next.awaitExit(CHILD_TIMEOUT)).as(next.output()).isZero();
                }
                final List<String> after = ChronicleLinkTest.readAll(source, 1000);
                assertThat(after).hasSize(1000);
                assertThat(sequenceOf(after.get(0))).isEqualTo(completed);
                assertThat(sequenceOf(after.get(999))).isEqualTo(completed + 999L);
            }
        }
    }

    /** In {@code SHARED} the source runs on the router's one agent, with the sink. */
    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void shouldResumeAKilledNamedConsumerWithoutSkippingAnything(final ThreadingMode threading) throws Exception
    {
        final Path dir = temp.resolve("q");
        final int total = 200_000;
        try (ChronicleSink<String> sink = ChronicleSink.builder(dir, Codecs.utf8()).build())
        {
            for (int i = 0; i < total; i++)
            {
                sink.onMessage(message(i));
            }
        }
        final Path firstOut = temp.resolve("first.txt");
        try (ChildJvm first = ChildJvm.start(temp, ChronicleMains.NamedConsumer.class, dir.toString(), "reader1",
            "start", Integer.toString(total - 1), firstOut.toString(), "5", threading.name()))
        {
            await().atMost(Duration.ofSeconds(60)).until(() -> lines(firstOut).size() >= total / 4);
            first.kill();
        }
        final List<Long> before = sequences(lines(firstOut));
        assertThat(before).as("killed before the end").hasSizeLessThan(total);

        final Path secondOut = temp.resolve("second.txt");
        try (ChildJvm second = ChildJvm.start(temp, ChronicleMains.NamedConsumer.class, dir.toString(), "reader1",
            "end", Integer.toString(total - 1), secondOut.toString(), "0", threading.name()))
        {
            assertThat(second.awaitExit(CHILD_TIMEOUT)).as(second.output()).isZero();
        }
        final List<Long> after = sequences(lines(secondOut));
        final long lastBefore = before.get(before.size() - 1);
        assertThat(after.get(0)).as("resumed from the stored position, not from start= (end)")
            .isGreaterThan(0).isLessThanOrEqualTo(lastBefore + 1);
        for (int i = 1; i < after.size(); i++)
        {
            assertThat(after.get(i)).isEqualTo(after.get(0) + i);
        }
        assertThat(after.get(after.size() - 1)).isEqualTo(total - 1);
        System.out.printf("named consumer killed after %d, resumed at %d: %d delivered twice%n",
            lastBefore, after.get(0), lastBefore + 1 - after.get(0));
    }

    @Test
    void shouldFanOutOneChronicleSourceThroughARouterToThreeQueuesEachReadByItsOwnJvm() throws Exception
    {
        final int total = 200_000;
        final Path input = temp.resolve("in");
        final Path[] outputs = {temp.resolve("out1"), temp.resolve("out2"), temp.resolve("out3")};
        // A reader opens only an existing queue: the input is made before the producer and the router start.
        ChronicleSink.builder(input, Codecs.utf8()).build().close();
        try (ChildJvm producer = ChildJvm.start(temp, ChronicleMains.Producer.class, input.toString(), "0",
            Integer.toString(total)))
        {
            final List<ChildJvm> consumers = new ArrayList<>();
            try (Router<String> router = Router.builder().name("fanout").ringSize(4096)
                .waitStrategy(WaitStrategy.BLOCKING).build())
            {
                for (final Path output : outputs)
                {
                    router.write(ChronicleSink.builder(output, Codecs.utf8()).build());
                    consumers.add(ChildJvm.start(temp, ChronicleMains.Consumer.class, output.toString(),
                        Integer.toString(total), "start"));
                }
                router.read(ChronicleSource.builder(input, Codecs.utf8()).name("fanout").build());
                for (final ChildJvm consumer : consumers)
                {
                    assertThat(consumer.awaitExit(CHILD_TIMEOUT)).as(consumer.output()).isZero();
                    assertThat(consumer.stdout()).contains("ok " + total);
                }
                assertThat(producer.awaitExit(CHILD_TIMEOUT)).as(producer.output()).isZero();
            }
            finally
            {
                consumers.forEach(ChildJvm::close);
            }
        }
        Threads.assertNoThreadsNamed("ringlink-fanout-");
    }

    /** The complete lines of a file: a killed writer may have left the last one without its newline. */
    static List<String> lines(final Path file) throws IOException
    {
        if (!Files.exists(file))
        {
            return List.of();
        }
        final String text = Files.readString(file);
        final int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
    }

    private static List<Long> sequences(final List<String> lines)
    {
        final List<Long> sequences = new ArrayList<>();
        for (final String line : lines)
        {
            assertThat(line).as("a whole message").doesNotStartWith("bad");
            sequences.add(Long.parseLong(line.trim()));
        }
        return sequences;
    }
}
