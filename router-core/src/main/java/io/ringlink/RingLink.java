package io.ringlink;

/**
 * Links sources to destinations in one call, picking the endpoint for each object's type.
 * <pre>{@code
 * Link link = RingLink.link(Path.of("in.txt"), queue, System.out);
 * link.awaitCompletion(Duration.ofSeconds(10));
 * }</pre>
 * Accepted as source: {@code BlockingQueue}, {@code InputStream}, {@code Reader}, {@code Path}, {@code File},
 * {@code Process} (its stdout), {@code ReadableByteChannel}, {@link Source}, and URI strings ({@code -} for stdin,
 * {@code file:}, {@code fifo:} and any scheme an {@link io.ringlink.spi.EndpointProvider} adds). Accepted as
 * destination: {@code BlockingQueue}, {@code OutputStream}, {@code Writer}, {@code Path}, {@code File},
 * {@code Process} (its stdin), {@code WritableByteChannel}, {@code Consumer}, {@link Sink}, URI strings
 * ({@code -} for stdout), and arrays or collections of these (fan-out). Options: {@link #linker()}.
 */
public final class RingLink
{
    private RingLink()
    {
    }

    /**
     * Links one source to destinations with the default options: text as UTF-8 lines, blocking waits.
     *
     * @param source       what to read.
     * @param destinations where every message goes; arrays and collections are flattened.
     * @return the running link.
     * @throws IllegalArgumentException     naming an unsupported type or scheme, a source-only type given as
     *                                      destination, or a destination given twice.
     * @throws java.io.UncheckedIOException if an endpoint cannot be opened (a missing source file).
     */
    public static Link link(final Object source, final Object... destinations)
    {
        return linker().link(source, destinations);
    }

    /**
     * Starts building a link with options.
     *
     * @return a linker with the defaults.
     */
    public static Linker linker()
    {
        return new Linker();
    }
}
