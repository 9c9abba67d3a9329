package io.ringlink.link;

import io.ringlink.Publisher;
import io.ringlink.Router;
import io.ringlink.StopResult;
import io.ringlink.WaitStrategy;
import io.ringlink.test.Threads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sink that is a real subprocess which never reads its standard input: once the pipe is full the delivery thread
 * blocks in a write, and {@code stop} must still end it (issue 11, item 6).
 */
@Timeout(60)
class ProcessSinkStopTest
{
    private static final String LINE = "x".repeat(1000);
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killProcesses()
    {
        for (final Process process : processes)
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    @Test
    void shouldEndTheDeliveryThreadBlockedOnAProcessThatNeverReadsWhenStopAbandonsIt() throws Exception
    {
        assertStopEndsEveryThread("sleep", "1000");
    }

    @Test
    void shouldEndTheDeliveryThreadBlockedOnAShellThatNeverReadsWhenStopAbandonsIt() throws Exception
    {
        assertStopEndsEveryThread("sh", "-c", "sleep 1000; echo done");
    }

    private void assertStopEndsEveryThread(final String... command) throws Exception
    {
        final Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(process);
        final Router<String> router = Router.builder()
            .name("procstop")
            .ringSize(64)
            .waitStrategy(WaitStrategy.BLOCKING)
            .build();
        router.write(process);
        final Publisher<String> publisher = router.publisher("feed");
        // 1 MB into a pipe of 64 KiB that nobody reads: the ring fills behind the blocked write.
        int published = 0;
        while (published < 1000 && publisher.publish(LINE, Duration.ofMillis(200)))
        {
            published++;
        }
        assertThat(published).as("the ring filled behind the blocked write").isLessThan(1000);
        await().atMost(Duration.ofSeconds(10)).until(() -> router.metrics().delivered() > 0);

        final long start = System.nanoTime();
        final StopResult result = router.stop(Duration.ofSeconds(2));
        final Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(result.drained()).isFalse();
        assertThat(result.abandonedSinks()).hasSize(1);
        // The write was woken: the thread ends. (A stop whose publisher could not place its end marker halts the
        // delivery without joining it, so it may still be on its way out when stop returns: the engine's to fix.)
        Threads.assertNoThreadsNamed("ringlink-procstop");
        assertThat(process.isAlive()).as("a process the caller started is not killed by the router").isTrue();
        process.destroy();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
}
