package io.ringlink.internal;

import io.ringlink.Publisher;
import io.ringlink.Router;
import io.ringlink.WaitStrategy;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the exclusive publisher's gate rests on: {@link AsymmetricFence#serialise()} really is a global safepoint on
 * this JVM (a JDK that stopped making it one would fail here, where jcstress could not tell), and a stop of many
 * publishers pays for one, not one each.
 */
class AsymmetricFenceTest
{
    private static final String VM_OPERATION = "jdk.ExecuteVMOperation";

    @TempDir
    Path dir;

    @Test
    void shouldBringEveryThreadToASafepoint() throws Exception
    {
        assumeTrue(AsymmetricFence.AVAILABLE, "the asymmetric fence is off on this JVM");

        final List<RecordedEvent> operations = recordVmOperations(AsymmetricFence::serialise);

        assertThat(operations).as("VM operations while serialising")
            .anySatisfy((event) ->
            {
                assertThat(event.getString("operation")).isEqualTo("ThreadDump");
                assertThat(event.getBoolean("safepoint")).as("a global safepoint").isTrue();
            });
    }

    @Test
    void shouldSkipTheSafepointWhenOneBegunAfterTheTicketHasEnded()
    {
        assumeTrue(AsymmetricFence.AVAILABLE, "the asymmetric fence is off on this JVM");
        final long ticket = AsymmetricFence.ticket();
        AsymmetricFence.serialise();
        final long afterOne = AsymmetricFence.ticket();

        assertThat(AsymmetricFence.serialiseAfter(ticket)).isTrue();
        assertThat(AsymmetricFence.ticket()).as("no second safepoint for the older ticket").isEqualTo(afterOne);

        assertThat(AsymmetricFence.serialiseAfter(afterOne)).isTrue();
        assertThat(AsymmetricFence.ticket()).as("a safepoint for a ticket no safepoint followed")
            .isGreaterThan(afterOne);
    }

    @Test
    void shouldStopManyPublishersWithOneSafepoint() throws Exception
    {
        assumeTrue(AsymmetricFence.AVAILABLE, "the asymmetric fence is off on this JVM");
        final int publishers = 40;
        final Router<Long> router = Router.builder().name("one-safepoint").ringSize(64)
            .waitStrategy(WaitStrategy.BLOCKING).build();
        final AtomicLong received = new AtomicLong();
        router.write((Consumer<Long>)(message) -> received.incrementAndGet());
        final List<Publisher<Long>> all = new ArrayList<>();
        for (int i = 0; i < publishers; i++)
        {
            final Publisher<Long> publisher = router.publisher("p" + i);
            publisher.publish((long)i);
            all.add(publisher);
        }

        final List<RecordedEvent> operations = recordVmOperations(() ->
            assertThat(router.stop(Duration.ofSeconds(10)).isClean()).isTrue());

        assertThat(received.get()).isEqualTo(publishers);
        assertThat(operations.stream().filter((event) -> "ThreadDump".equals(event.getString("operation"))))
            .as("safepoints for the closes of " + all.size() + " exclusive publishers").hasSize(1);
    }

    private List<RecordedEvent> recordVmOperations(final Runnable action) throws Exception
    {
        final Path file = dir.resolve("operations.jfr");
        try (Recording recording = new Recording())
        {
            recording.enable(VM_OPERATION).withThreshold(Duration.ZERO);
            recording.start();
            action.run();
            recording.stop();
            recording.dump(file);
        }
        return RecordingFile.readAllEvents(file).stream()
            .filter((event) -> event.getEventType().getName().equals(VM_OPERATION)).toList();
    }
}
