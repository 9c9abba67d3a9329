package io.ringlink;

import io.ringlink.internal.EndpointOptions;
import io.ringlink.internal.LinkFactory;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Options for {@link RingLink#link(Object, Object...)}; values are checked once, in {@link #link(Object, Object...)}
 * or {@link #linkAll(Collection, Object...)}. A linker can make several links.
 * <pre>{@code
 * Link link = RingLink.linker().charset(StandardCharsets.ISO_8859_1).maxLineLength(80, Linker.LongLines.SPLIT)
 *     .link(process, queue);
 * }</pre>
 * The same options reach URI endpoints as default query parameters ({@code charset}, {@code codec=utf8|bytes},
 * {@code chunk}, {@code maxLine}, {@code longLines}, {@code malformed}, {@code follow}, {@code keep},
 * {@code stderr}, {@code truncate}); a parameter in the URI wins.
 */
public final class Linker
{
    /** Bytes read at a time, and the size of a chunk in {@link #chunks(int)} mode, when none is given. */
    public static final int CHUNK_SIZE_DEFAULT = 64 * 1024;

    /** The longest line, in chars, when none is given. */
    public static final int MAX_LINE_LENGTH_DEFAULT = 1024 * 1024;

    /** What to do with a line longer than {@link #maxLineLength(int, LongLines)}. */
    public enum LongLines
    {
        /** Hand it over in pieces of the maximum length. */
        SPLIT,
        /** Fail the source with an {@link java.io.IOException} naming the length and the limit. */
        REJECT
    }

    /** What to do with bytes that are not valid in the charset. */
    public enum Malformed
    {
        /** Replace them with U+FFFD and go on. */
        REPLACE,
        /** Fail the source with a {@link java.nio.charset.CharacterCodingException}. */
        REPORT
    }

    private String name;
    private WaitStrategy waitStrategy = WaitStrategy.BLOCKING;
    private int ringSize = Router.RING_SIZE_DEFAULT;
    private Duration stopTimeout = Router.STOP_TIMEOUT_DEFAULT;
    private Charset charset = StandardCharsets.UTF_8;
    private boolean chunks;
    private int chunkSize = CHUNK_SIZE_DEFAULT;
    private int maxLineLength = MAX_LINE_LENGTH_DEFAULT;
    private LongLines longLines = LongLines.SPLIT;
    private Malformed malformed = Malformed.REPLACE;
    private boolean follow;
    private boolean keep;
    private boolean stderr;
    private boolean truncate;
    private boolean closeGiven;
    private boolean counters;
    private boolean jmx;
    private SinkOptions slowSinks = SinkOptions.block();
    private ThreadingMode threading = ThreadingMode.DEDICATED;
    private int deliveryThreads = Runtime.getRuntime().availableProcessors();

    Linker()
    {
    }

    /**
     * Names the link's router, for thread names, logs and metrics.
     *
     * @param name non-blank; {@code link-N} by default.
     * @return this.
     */
    public Linker name(final String name)
    {
        this.name = name;
        return this;
    }

    /**
     * How the router's threads wait.
     *
     * @param waitStrategy default {@link WaitStrategy#BLOCKING}.
     * @return this.
     */
    public Linker waitStrategy(final WaitStrategy waitStrategy)
    {
        this.waitStrategy = waitStrategy;
        return this;
    }

    /**
     * Slots in each source's ring.
     *
     * @param ringSize a power of two, default {@link Router#RING_SIZE_DEFAULT}.
     * @return this.
     */
    public Linker ringSize(final int ringSize)
    {
        this.ringSize = ringSize;
        return this;
    }

    /**
     * The longest time {@link Link#stop()} spends delivering what is in flight.
     *
     * @param stopTimeout positive, default {@link Router#STOP_TIMEOUT_DEFAULT}.
     * @return this.
     */
    public Linker stopTimeout(final Duration stopTimeout)
    {
        this.stopTimeout = stopTimeout;
        return this;
    }

    /**
     * The charset of text read and written.
     *
     * @param charset default UTF-8.
     * @return this.
     */
    public Linker charset(final Charset charset)
    {
        this.charset = charset;
        return this;
    }

    /**
     * Byte sources hand over {@code byte[]} chunks of at most {@code chunkSize} bytes instead of lines.
     *
     * @param chunkSize from 1 to 2^30, default {@link #CHUNK_SIZE_DEFAULT}.
     * @return this.
     */
    public Linker chunks(final int chunkSize)
    {
        this.chunks = true;
        this.chunkSize = chunkSize;
        return this;
    }

    /**
     * The longest line a text source hands over, and what happens to longer ones.
     *
     * @param maxLineLength in chars, at least 2, default {@link #MAX_LINE_LENGTH_DEFAULT}.
     * @param longLines     default {@link LongLines#SPLIT}.
     * @return this.
     */
    public Linker maxLineLength(final int maxLineLength, final LongLines longLines)
    {
        this.maxLineLength = maxLineLength;
        this.longLines = longLines;
        return this;
    }

    /**
     * What happens to bytes that are not valid in the charset.
     *
     * @param malformed default {@link Malformed#REPLACE}.
     * @return this.
     */
    public Linker malformed(final Malformed malformed)
    {
        this.malformed = malformed;
        return this;
    }

    /**
     * A file source keeps reading lines appended after its end, like {@code tail -f}, until the link is stopped.
     *
     * @param follow default {@code false}.
     * @return this.
     */
    public Linker follow(final boolean follow)
    {
        this.follow = follow;
        return this;
    }

    /**
     * A FIFO the link created is left in place when the link closes.
     *
     * @param keep default {@code false}: the link removes FIFOs it created.
     * @return this.
     */
    public Linker keep(final boolean keep)
    {
        this.keep = keep;
        return this;
    }

    /**
     * A {@code Process} source is read from its stderr too (as a second source), not only its stdout.
     *
     * @param stderr default {@code false}.
     * @return this.
     */
    public Linker stderr(final boolean stderr)
    {
        this.stderr = stderr;
        return this;
    }

    /**
     * A file destination is emptied when opened instead of appended to.
     *
     * @param truncate default {@code false}.
     * @return this.
     */
    public Linker truncate(final boolean truncate)
    {
        this.truncate = truncate;
        return this;
    }

    /**
     * Streams, readers, writers and channels the caller handed in are closed when the link ends.
     *
     * @param closeGiven default {@code false}: they are flushed but left open.
     * @return this.
     */
    public Linker closeGiven(final boolean closeGiven)
    {
        this.closeGiven = closeGiven;
        return this;
    }

    /**
     * Publishes the link's router counters for {@code ringlink stat}, as {@link Router.Builder#counters(boolean)}.
     *
     * @param counters default {@code false}; needs router-offheap on the class path.
     * @return this.
     */
    public Linker counters(final boolean counters)
    {
        this.counters = counters;
        return this;
    }

    /**
     * What happens to a destination that falls a full ring behind (see {@link SinkOptions}). With several
     * destinations, a {@link SinkOptions#spill(String)} queue gets a sub-directory per destination ({@code DIR/0},
     * {@code DIR/1}, ...).
     *
     * @param slowSinks default {@link SinkOptions#block()}.
     * @return this.
     */
    public Linker slowSinks(final SinkOptions slowSinks)
    {
        this.slowSinks = slowSinks;
        return this;
    }

    /**
     * Registers the link's router with JMX, as {@link Router.Builder#jmx(boolean)}.
     *
     * @param jmx default {@code false}.
     * @return this.
     */
    public Linker jmx(final boolean jmx)
    {
        this.jmx = jmx;
        return this;
    }

    /**
     * How the link's router threads its deliveries (see {@link ThreadingMode}).
     *
     * @param threading default {@link ThreadingMode#DEDICATED}: a link usually has one source and few destinations,
     *                  where a thread per destination has the lowest latency.
     * @return this.
     */
    public Linker threading(final ThreadingMode threading)
    {
        this.threading = threading;
        return this;
    }

    /**
     * The number of delivery agents under {@link ThreadingMode#SHARED}.
     *
     * @param deliveryThreads at least 1, default the number of available processors.
     * @return this.
     */
    public Linker deliveryThreads(final int deliveryThreads)
    {
        this.deliveryThreads = deliveryThreads;
        return this;
    }

    /**
     * Checks the options and links one source to the destinations.
     *
     * @param source       what to read.
     * @param destinations where every message goes; arrays and collections are flattened.
     * @return the running link.
     * @throws IllegalArgumentException     naming an option out of range, an unsupported type or scheme, a
     *                                      source-only type given as destination, or a destination given twice.
     * @throws java.io.UncheckedIOException if an endpoint cannot be opened (a missing source file).
     */
    public Link link(final Object source, final Object... destinations)
    {
        return linkAll(List.of(Objects.requireNonNull(source, "source")), destinations);
    }

    /**
     * Checks the options and links several sources to the destinations (many to one or many to many); per source,
     * every destination sees the messages in order.
     *
     * @param sources      what to read, at least one.
     * @param destinations where every message goes; arrays and collections are flattened.
     * @return the running link.
     * @throws IllegalArgumentException     as {@link #link(Object, Object...)}.
     * @throws java.io.UncheckedIOException as {@link #link(Object, Object...)}.
     */
    public Link linkAll(final Collection<?> sources, final Object... destinations)
    {
        if (chunkSize < 1 || chunkSize > 1 << 30)
        {
            throw new IllegalArgumentException("chunkSize must be from 1 to 2^30, got " + chunkSize);
        }
        if (maxLineLength < 2)
        {
            throw new IllegalArgumentException("maxLineLength must be at least 2 (a surrogate pair), got " +
                maxLineLength);
        }
        if (charset == null || longLines == null || malformed == null || slowSinks == null)
        {
            throw new IllegalArgumentException("charset, longLines, malformed and slowSinks must not be null");
        }
        final Router<Object> router = Router.builder()
            .name(name == null ? LinkFactory.nextName() : name)
            .ringSize(ringSize)
            .waitStrategy(waitStrategy)
            .stopTimeout(stopTimeout)
            .counters(counters)
            .jmx(jmx)
            .threading(threading)
            .deliveryThreads(deliveryThreads)
            .build();
        final EndpointOptions options = new EndpointOptions(charset, chunks, chunkSize, maxLineLength,
            longLines == LongLines.SPLIT, malformed == Malformed.REPLACE, follow, false, false, false, keep, stderr,
            truncate, closeGiven);
        return LinkFactory.link(router, options, slowSinks, sources, destinations);
    }
}
