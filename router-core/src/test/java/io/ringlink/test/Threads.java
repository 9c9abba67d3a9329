package io.ringlink.test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * Thread checks for tests: after a router or link is closed, no {@code ringlink-} thread may be left; a thread
 * that must act once another has reached a point of the code under test waits for it there.
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

    /**
     * Waits until the thread runs one of the methods (a frame of its stack has that name), polling every millisecond:
     * for a test that must act only once another thread has reached a given point of the code under test, which a
     * sleep cannot promise on a loaded machine.
     *
     * @param thread  the thread to watch.
     * @param methods method names, any of which will do.
     */
    public static void awaitInside(final Thread thread, final String... methods)
    {
        final Set<String> names = Set.of(methods);
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
            .until(() -> isInside(thread, names));
    }

    /**
     * As {@link #awaitInside(Thread, String...)}, for a thread the test did not make (a pool's): any live thread.
     *
     * @param atMost  the longest wait.
     * @param methods method names, any of which will do.
     */
    public static void awaitAnyThreadInside(final Duration atMost, final String... methods)
    {
        final Set<String> names = Set.of(methods);
        await().atMost(atMost).until(() -> Thread.getAllStackTraces().keySet().stream()
            .anyMatch((thread) -> isInside(thread, names)));
    }

    private static boolean isInside(final Thread thread, final Set<String> methods)
    {
        return Arrays.stream(thread.getStackTrace()).anyMatch((frame) -> methods.contains(frame.getMethodName()));
    }
}
