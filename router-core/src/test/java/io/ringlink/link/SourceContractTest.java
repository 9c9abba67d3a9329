package io.ringlink.link;

import io.ringlink.Link;
import io.ringlink.Linker;
import io.ringlink.RingLink;
import io.ringlink.ThreadingMode;
import io.ringlink.WaitStrategy;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every kind of source must do when given to {@code RingLink.link}: each subclass makes one kind holding some
 * lines (JCTools {@code QueueSanityTest} pattern). Public in router-core's test-jar, so that other modules run it
 * against their kinds (router-offheap's {@code ipc:}, {@code chronicle:}, {@code SharedQueue}).
 */
@Timeout(60)
public abstract class SourceContractTest
{
    protected static final String EMOJI = "a😂".repeat(10);
    protected static final List<String> LINES = List.of("first", EMOJI, "", "last line");

    @TempDir
    protected Path dir;

    /**
     * A source of this kind that hands over {@code lines} (then ends if the kind is finite).
     */
    protected abstract Object source(Path dir, List<String> lines) throws Exception;

    /** Whether the kind ends by itself once its lines are read. */
    protected boolean finite()
    {
        return true;
    }

    protected static Linker linker()
    {
        return RingLink.linker().waitStrategy(WaitStrategy.BLOCKING).ringSize(1024).stopTimeout(Duration.ofSeconds(5));
    }

    /** In {@code SHARED}, a kind that reads without blocking runs on an agent: the contract holds in both modes. */
    private static Linker linker(final ThreadingMode threading)
    {
        return linker().threading(threading).deliveryThreads(2);
    }

    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void shouldDeliverEveryLineInOrderThroughLink(final ThreadingMode threading) throws Exception
    {
        final BlockingQueue<Object> out = new LinkedBlockingQueue<>();
        try (Link link = linker(threading).link(source(dir, LINES), out))
        {
            await().atMost(Duration.ofSeconds(20)).until(() -> out.size() >= LINES.size());
            assertThat(link.failure()).isEmpty();
        }
        assertThat(new ArrayList<>(out)).isEqualTo(LINES);
    }

    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void shouldCompleteOnceFiniteInputIsDelivered(final ThreadingMode threading) throws Exception
    {
        final BlockingQueue<Object> out = new LinkedBlockingQueue<>();
        final Link link = linker(threading).link(source(dir, LINES), out);
        try
        {
            if (finite())
            {
                assertThat(link.awaitCompletion(Duration.ofSeconds(20))).isTrue();
                assertThat(link.router().isRunning()).isFalse();
            }
            else
            {
                // Delivered first: a source that must connect (aeron:) may take longer than the wait below.
                await().atMost(Duration.ofSeconds(20)).until(() -> out.size() >= LINES.size());
                assertThat(link.awaitCompletion(Duration.ofMillis(200))).isFalse();
                assertThat(link.stop().isClean()).isTrue();
            }
            assertThat(new ArrayList<>(out)).isEqualTo(LINES);
            assertThat(link.metrics().delivered()).isEqualTo(LINES.size());
        }
        finally
        {
            link.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void shouldFanOutToEveryDestination(final ThreadingMode threading) throws Exception
    {
        final List<BlockingQueue<Object>> outs = List.of(
            new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>());
        try (Link link = linker(threading).link(source(dir, LINES), outs))
        {
            for (final BlockingQueue<Object> out : outs)
            {
                await().atMost(Duration.ofSeconds(20)).until(() -> out.size() >= LINES.size());
                assertThat(new ArrayList<>(out)).isEqualTo(LINES);
            }
            assertThat(link.failure()).isEmpty();
        }
    }
}
