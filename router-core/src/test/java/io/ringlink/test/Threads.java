package io.ringlink.test;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * Thread-leak checks for tests: after a router or link is closed, no {@code ringlink-} thread may be left.
 */
public final class Threads
{
    private Threads()
    {
    }

    /**
     * Names of live threads whose name starts with the prefix.
     *
     * @param prefix the prefix, such as {@code "ringlink-"}.
     * @return the names.
     */
    public static List<String> liveThreadsNamed(final String prefix)
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(Thread::isAlive)
            .map(Thread::getName)
            .filter((name) -> name.startsWith(prefix))
            .sorted()
            .collect(Collectors.toList());
    }

    /**
     * Waits (briefly) until no thread with the prefix is alive, and fails naming those left.
     *
     * @param prefix the prefix, such as {@code "ringlink-myrouter-"}.
     */
    public static void assertNoThreadsNamed(final String prefix)
    {
        await("threads named " + prefix + "* to end")
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> liveThreadsNamed(prefix), List::isEmpty);
    }
}
