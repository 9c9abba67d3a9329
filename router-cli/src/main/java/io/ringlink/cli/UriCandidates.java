package io.ringlink.cli;

import java.util.Iterator;
import java.util.List;

/**
 * What shell completion offers for a URI argument: the schemes, with their colon.
 */
final class UriCandidates implements Iterable<String>
{
    private static final List<String> LINK = List.of("-", "file:", "fifo:", "ipc:", "chronicle:", "exec:");

    @Override
    public Iterator<String> iterator()
    {
        return LINK.iterator();
    }

    /** The schemes {@code tail} and {@code stat} read: rings and queues. */
    static final class Readable implements Iterable<String>
    {
        @Override
        public Iterator<String> iterator()
        {
            return List.of("ipc:", "chronicle:").iterator();
        }
    }

    /** The {@code --from} values of {@code tail}. */
    static final class From implements Iterable<String>
    {
        @Override
        public Iterator<String> iterator()
        {
            return List.of("start", "end").iterator();
        }
    }
}
