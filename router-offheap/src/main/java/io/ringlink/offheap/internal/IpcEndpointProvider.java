package io.ringlink.offheap.internal;

import io.ringlink.Sink;
import io.ringlink.Source;
import io.ringlink.WaitStrategy;
import io.ringlink.offheap.Codec;
import io.ringlink.offheap.IpcRing;
import io.ringlink.offheap.IpcRingBuilder;
import io.ringlink.offheap.IpcRingSink;
import io.ringlink.offheap.IpcRingSource;
import io.ringlink.offheap.RingKind;
import io.ringlink.spi.EndpointProvider;
import io.ringlink.spi.EndpointUri;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * The {@code ipc:} scheme: {@code ipc:/dev/shm/name?capacity=1m&kind=many-to-one&codec=utf8}. A relative path is
 * resolved against {@link IpcRing#defaultDirectory()}. A sink creates the ring file if it does not exist and otherwise
 * opens it, after checking that its codec, kind and (when given) capacity match; a source only opens an existing
 * ring (a missing one is a {@link NoSuchFileException}: reading never creates). A source with {@code open-timeout}
 * first waits that long for a writer to create the ring, so that a reader may start before its writer; its opening
 * (and so {@code RingLink.link} or {@code Router.read} of the URI) returns once the ring exists, and still creates
 * nothing. An unknown parameter is refused.
 * <p>
 * Parameters: {@code capacity} (size, default 1m), {@code kind} ({@code one-to-one}, the default, or
 * {@code many-to-one}), {@code codec} ({@code utf8}, the default, {@code bytes}, {@code longs}, {@code values}),
 * {@code wait} ({@code busy-spin}, {@code yielding}, {@code sleeping}, {@code blocking}, the default),
 * {@code unblock-timeout} (duration, default 5s), {@code replace} (flag: start with a new empty file),
 * {@code delete-on-close} (flag), {@code open-timeout} (duration, default 0: a source's wait for a missing ring; a
 * sink refuses it, as it creates a missing ring instead of waiting for one).
 * <p>
 * A source takes the ring's consumer role when it is opened, and a sink of a one-to-one ring its producer role: a
 * second source (or second one-to-one sink) for a ring another live process holds is refused at once with
 * {@link io.ringlink.offheap.RingRoleException} naming the holder's pid, before anything is read or written. The
 * source is at-least-once: it frees a record only once every sink has it.
 */
public final class IpcEndpointProvider implements EndpointProvider
{
    /** The parameter that makes a reader wait for its writer to create the ring. */
    public static final String OPEN_TIMEOUT = "open-timeout";
    /** The parameters an {@code ipc:} URI may carry; any other is refused. */
    public static final Set<String> PARAMETERS = Set.of("capacity", "kind", "codec", "wait", "unblock-timeout",
        "replace", "delete-on-close", OPEN_TIMEOUT);

    @Override
    public Set<String> schemes()
    {
        return Set.of("ipc");
    }

    @Override
    public Source<?> source(final EndpointUri uri) throws IOException
    {
        uri.requireKnownParameters(PARAMETERS);
        if (uri.flag("replace", false))
        {
            throw new IllegalArgumentException("endpoint URI '" + uri + "': replace is for the writing side; a " +
                "source never creates or replaces the ring it reads");
        }
        // Every parameter is checked before the wait: a typo fails at once, not after the open-timeout.
        final Codec<?> codec = EndpointCodecs.codec(uri);
        final IpcRingBuilder builder = builder(uri, codec);
        final WaitStrategy wait = IdleStrategies.waitStrategy(uri);
        awaitRing(uri);
        final IpcRing ring = builder.open();
        try
        {
            ring.takeConsumerRole();
        }
        catch (final IOException | RuntimeException ex)
        {
            ring.close();
            throw ex;
        }
        return IpcRingSource.of(ring, codec, wait);
    }

    @Override
    public Sink<?> sink(final EndpointUri uri) throws IOException
    {
        uri.requireKnownParameters(PARAMETERS);
        if (uri.parameters().containsKey(OPEN_TIMEOUT))
        {
            throw new IllegalArgumentException("endpoint URI '" + uri + "': " + OPEN_TIMEOUT + " is for the reading " +
                "side; a destination creates a missing ring, it never waits for one");
        }
        final Codec<?> codec = EndpointCodecs.codec(uri);
        final IpcRing ring = builder(uri, codec).create();
        try
        {
            ring.takeProducerRole();
        }
        catch (final IOException | RuntimeException ex)
        {
            ring.close();
            throw ex;
        }
        return IpcRingSink.of(ring, codec, IdleStrategies.waitStrategy(uri));
    }

    /** A duration in nanoseconds, the longest a {@code long} holds for one longer (292 years). */
    /**
     * The file of the ring a reader names, once it exists: at once, or within the URI's {@code open-timeout}, looking
     * every 10 ms and creating nothing. A reader never creates what it reads: a misspelt path must not become an
     * empty ring that waits for ever.
     *
     * @param uri an {@code ipc:} URI, its parameters checked.
     * @return the ring's file.
     * @throws NoSuchFileException      if it does not exist (within the timeout), its reason saying so.
     * @throws IllegalArgumentException if {@code open-timeout} is not a duration.
     * @throws InterruptedIOException   if the thread was interrupted while waiting.
     */
    public static Path awaitRing(final EndpointUri uri) throws IOException
    {
        final Duration openTimeout = uri.duration(OPEN_TIMEOUT, Duration.ZERO);
        final Path path = path(uri);
        if (!RingFiles.awaitExists(path, saturatedNanos(openTimeout)))
        {
            throw new NoSuchFileException(path.toString(), null, openTimeout.isZero() ? "no such ring" :
                "no such ring within " + OPEN_TIMEOUT + "=" + uri.parameter(OPEN_TIMEOUT, ""));
        }
        return path;
    }

    private static long saturatedNanos(final Duration duration)
    {
        try
        {
            return duration.toNanos();
        }
        catch (final ArithmeticException ex)
        {
            return Long.MAX_VALUE;
        }
    }

    private static Path path(final EndpointUri uri)
    {
        return uri.filePath().isAbsolute() ? uri.filePath() : IpcRing.defaultDirectory().resolve(uri.filePath());
    }

    private static IpcRingBuilder builder(final EndpointUri uri, final Codec<?> codec)
    {
        final IpcRingBuilder builder = IpcRing.builder(path(uri))
            .codec(codec.name())
            .unblockTimeout(uri.duration("unblock-timeout", IpcRing.UNBLOCK_TIMEOUT_DEFAULT))
            .deleteOnClose(uri.flag("delete-on-close", false))
            .ifExists(uri.flag("replace", false) ? IpcRing.IfExists.REPLACE : IpcRing.IfExists.REUSE);
        if (uri.parameters().containsKey("kind"))
        {
            builder.kind(RingKind.parse(uri.parameter("kind", "one-to-one")));
        }
        if (uri.parameters().containsKey("capacity"))
        {
            final long capacity = uri.size("capacity", IpcRing.CAPACITY_DEFAULT);
            if (capacity > Integer.MAX_VALUE)
            {
                throw new IllegalArgumentException("endpoint URI '" + uri + "': capacity=" + capacity +
                    " is over the limit of 1g");
            }
            builder.capacity((int)capacity);
        }
        return builder;
    }
}
