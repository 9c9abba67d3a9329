package io.ringlink.aeron;

import io.aeron.AeronCounters;
import io.aeron.Publication;
import io.ringlink.Sink;
import io.ringlink.aeron.internal.AeronDrivers;
import io.ringlink.aeron.internal.AeronEndpoint;
import io.ringlink.aeron.internal.ArchiveRecording;
import io.ringlink.aeron.internal.StreamCounters;
import io.ringlink.offheap.Codec;
import io.ringlink.offheap.CodecException;
import io.ringlink.offheap.Codecs;
import io.ringlink.offheap.MessageTooLargeException;
import io.ringlink.offheap.internal.IdleStrategies;
import io.ringlink.spi.EndpointUri;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes each message on an Aeron stream: the sending side of an {@code aeron:} link. Plugs into
 * {@code Router.write}; the router then calls {@link #onMessage(Object)}.
 * <p>
 * Opening never waits for a subscriber. A message is encoded with a {@link Codec} and offered:
 * <ul>
 *     <li>{@code BACK_PRESSURED} or {@code ADMIN_ACTION}: waits per the wait strategy and offers again, so a slow
 *     subscriber slows the sink down and nothing is lost;</li>
 *     <li>{@code NOT_CONNECTED} (no subscriber): waits up to {@code connect-timeout} (default 5 s) counted from when
 *     the publication last had a subscriber (or was opened), then fails the message with an {@link IOException}
 *     handled by the router's sink error policy; while it stays unconnected, later messages fail at once;</li>
 *     <li>a message longer than the publication's maximum (term length / 8, at most 16 MiB) raises
 *     {@link MessageTooLargeException} before anything is sent.</li>
 * </ul>
 * Every wait gives up with {@link InterruptedException} when the thread is interrupted, so stopping never hangs.
 * <p>
 * An exclusive publication, one thread at a time (the router serialises calls), unless the URI says
 * {@code concurrent=true}: then a concurrent publication and {@link #isThreadSafe()}.
 *
 * @param <T> type of message.
 */
public final class AeronSink<T> implements Sink<T>
{
    private final AeronEndpoint endpoint;
    private final AeronDrivers.Handle driver;
    private final Publication publication;
    private final Codec<T> codec;
    private final long connectTimeoutNs;
    private final ThreadLocal<Scratch> concurrentScratch;
    private final Scratch scratch;
    private final AtomicLong backPressured = new AtomicLong();
    private ArchiveRecording recording;
    private volatile long notConnectedSinceNs;

    private AeronSink(final AeronEndpoint endpoint, final AeronDrivers.Handle driver, final Codec<T> codec)
    {
        this.endpoint = endpoint;
        this.driver = driver;
        this.codec = codec;
        this.connectTimeoutNs = endpoint.connectTimeout().toNanos();
        final String channel = endpoint.archiveDir() == null ? endpoint.channel() :
            ArchiveRecording.publicationChannel(endpoint.channel());
        this.publication = endpoint.concurrent() ?
            driver.aeron().addPublication(channel, endpoint.streamId()) :
            driver.aeron().addExclusivePublication(channel, endpoint.streamId());
        this.notConnectedSinceNs = System.nanoTime();
        this.concurrentScratch = endpoint.concurrent() ? ThreadLocal.withInitial(() -> new Scratch(endpoint)) : null;
        this.scratch = endpoint.concurrent() ? null : new Scratch(endpoint);
    }

    /**
     * Opens a sink for an {@code aeron:} URI with the codec it names ({@code utf8} by default).
     *
     * @param uri the URI, such as {@code aeron:udp?endpoint=10.0.0.2:40123|stream=7}.
     * @return the sink; close it.
     * @throws IOException              if the media driver cannot be started or reached.
     * @throws IllegalArgumentException naming the URI if it is malformed.
     */
    public static AeronSink<?> open(final String uri) throws IOException
    {
        return open(EndpointUri.parse(uri));
    }

    /**
     * Opens a sink for a parsed {@code aeron:} URI with the codec it names.
     *
     * @param uri the URI.
     * @return the sink; close it.
     * @throws IOException              if the media driver cannot be started or reached.
     * @throws IllegalArgumentException naming the URI if it is malformed.
     */
    public static AeronSink<?> open(final EndpointUri uri) throws IOException
    {
        final AeronEndpoint endpoint = AeronEndpoint.parse(uri);
        return open(endpoint, codec(endpoint));
    }

    /**
     * Opens a sink for an {@code aeron:} URI with a codec of the caller's (the URI's {@code codec=} is ignored).
     *
     * @param uri   the URI.
     * @param codec encodes messages.
     * @param <T>   type of message.
     * @return the sink; close it.
     * @throws IOException              if the media driver cannot be started or reached.
     * @throws IllegalArgumentException naming the URI if it is malformed.
     */
    public static <T> AeronSink<T> open(final String uri, final Codec<T> codec) throws IOException
    {
        return open(AeronEndpoint.parse(EndpointUri.parse(uri)), codec);
    }

    static <T> AeronSink<T> open(final AeronEndpoint endpoint, final Codec<T> codec) throws IOException
    {
        final AeronDrivers.Handle driver = AeronDrivers.acquire(endpoint);
        AeronSink<T> sink = null;
        try
        {
            sink = new AeronSink<>(endpoint, driver, codec);
            if (endpoint.archiveDir() != null)
            {
                sink.recording = ArchiveRecording.start(driver, endpoint, sink.publication);
            }
            return sink;
        }
        catch (final IOException | RuntimeException ex)
        {
            if (sink != null)
            {
                sink.release();
            }
            else
            {
                driver.close();
            }
            throw ex instanceof IOException io ? io : new IOException("endpoint URI '" + endpoint.uri() +
                "': cannot add the publication: " + ex, ex);
        }
    }

    static Codec<?> codec(final AeronEndpoint endpoint)
    {
        try
        {
            return Codecs.named(endpoint.codecName());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("endpoint URI '" + endpoint.uri() + "': " + ex.getMessage(), ex);
        }
    }

    /**
     * The publication sent on (for its counters; do not close it).
     *
     * @return the publication.
     */
    public Publication publication()
    {
        return publication;
    }

    /**
     * The longest message the channel carries, in encoded bytes.
     *
     * @return the limit.
     */
    public int maxMessageLength()
    {
        return publication.maxMessageLength();
    }

    /**
     * The recording of this sink's stream ({@code archive=}), or {@code null}.
     *
     * @return the recording id, or {@code -1} when not recorded.
     */
    public long recordingId()
    {
        return recording == null ? -1 : recording.recordingId();
    }

    /**
     * How far the Archive has recorded this sink's stream.
     *
     * @return the recorded position, or {@code -1} when not recorded.
     */
    public long recordedPosition()
    {
        return recording == null ? -1 : recording.position();
    }

    /**
     * Whether a subscriber is connected now.
     *
     * @return {@code true} when connected.
     */
    public boolean isConnected()
    {
        return publication.isConnected();
    }

    /**
     * Encodes and publishes a message, waiting under back pressure and up to {@code connect-timeout} for a
     * subscriber.
     *
     * @param message the message.
     * @throws InterruptedException     if interrupted while waiting; the message was not sent.
     * @throws IOException              if no subscriber connected in time, or the publication is closed.
     * @throws MessageTooLargeException if the encoded message is longer than the channel allows.
     * @throws CodecException           if it cannot be encoded.
     */
    public void put(final T message) throws InterruptedException, IOException
    {
        final Scratch local = scratch != null ? scratch : concurrentScratch.get();
        final int length = codec.encode(message, local.buffer, 0);
        put(local.buffer, 0, length, local.idleStrategy);
    }

    /**
     * Publishes one record of bytes as they are, without encoding, waiting as {@link #put(Object)} does: the
     * zero-copy producer path.
     *
     * @param buffer holds the record.
     * @param offset where it starts.
     * @param length its length.
     * @throws InterruptedException     if interrupted while waiting; nothing was sent.
     * @throws IOException              if no subscriber connected in time, or the publication is closed.
     * @throws MessageTooLargeException if {@code length} is over the channel's maximum.
     */
    public void put(final DirectBuffer buffer, final int offset, final int length)
        throws InterruptedException, IOException
    {
        put(buffer, offset, length, scratch != null ? scratch.idleStrategy : concurrentScratch.get().idleStrategy);
    }

    /**
     * Offers one record of bytes once, without waiting.
     *
     * @param buffer holds the record.
     * @param offset where it starts.
     * @param length its length.
     * @return the new stream position when sent, or Aeron's negative result: {@link Publication#NOT_CONNECTED},
     * {@link Publication#BACK_PRESSURED}, {@link Publication#ADMIN_ACTION}, {@link Publication#CLOSED},
     * {@link Publication#MAX_POSITION_EXCEEDED}.
     * @throws MessageTooLargeException if {@code length} is over the channel's maximum.
     */
    public long offer(final DirectBuffer buffer, final int offset, final int length)
    {
        checkLength(length);
        return publication.offer(buffer, offset, length);
    }

    private void put(final DirectBuffer buffer, final int offset, final int length, final IdleStrategy idleStrategy)
        throws InterruptedException, IOException
    {
        checkLength(length);
        idleStrategy.reset();
        while (true)
        {
            final long result = publication.offer(buffer, offset, length);
            if (result > 0)
            {
                if (notConnectedSinceNs != 0)
                {
                    notConnectedSinceNs = 0;
                }
                return;
            }
            if (result == Publication.NOT_CONNECTED)
            {
                checkConnectTimeout();
            }
            else if (result == Publication.BACK_PRESSURED)
            {
                backPressured.incrementAndGet();
            }
            else if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                throw new IOException("aeron: sink " + endpoint.uri() + " cannot publish: " +
                    Publication.errorString(result));
            }
            if (Thread.interrupted())
            {
                throw new InterruptedException("aeron: sink " + endpoint.uri() + " interrupted while waiting (" +
                    Publication.errorString(result) + ")");
            }
            idleStrategy.idle();
        }
    }

    /**
     * Offers refused with {@code BACK_PRESSURED} and retried: how often subscribers (or the sender) held this sink
     * back.
     *
     * @return the count.
     */
    public long backPressureCount()
    {
        return backPressured.get();
    }

    private void checkConnectTimeout() throws IOException
    {
        final long now = System.nanoTime();
        long since = notConnectedSinceNs;
        if (since == 0)
        {
            since = now | 1;
            notConnectedSinceNs = since;
        }
        if (now - since >= connectTimeoutNs)
        {
            throw new IOException("aeron: sink " + endpoint.uri() + ": no subscriber connected for " +
                Duration.ofNanos(now - since).toMillis() + " ms (connect-timeout " +
                endpoint.connectTimeout().toMillis() + " ms); message not sent");
        }
    }

    private void checkLength(final int length)
    {
        final int max = publication.maxMessageLength();
        if (length > max)
        {
            throw new MessageTooLargeException(length, max, endpoint.uri());
        }
    }

    @Override
    public void onMessage(final T message) throws InterruptedException, IOException
    {
        put(message);
    }

    @Override
    public boolean isThreadSafe()
    {
        return endpoint.concurrent();
    }

    @Override
    public Object endpoint()
    {
        return AeronSource.key(endpoint);
    }

    @Override
    public String name()
    {
        return endpoint.uri();
    }

    /**
     * Waits, up to {@code connect-timeout}, until what was published has left this host (UDP: the driver's sender
     * position; {@code aeron:ipc}: every subscriber's position) while a subscriber is connected, then closes the
     * publication and drops this sink's reference on the driver. An embedded driver closed with the last endpoint
     * cannot retransmit afterwards: a subscriber that lost the tail in the network does not get it.
     */
    @Override
    public void close()
    {
        try
        {
            awaitSent();
            if (recording != null)
            {
                recording.awaitRecorded(System.nanoTime() + connectTimeoutNs);
            }
        }
        finally
        {
            release();
        }
    }

    private void awaitSent()
    {
        final long target = publication.position();
        final long deadline = System.nanoTime() + connectTimeoutNs;
        final int typeId = endpoint.isIpc() ? AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID :
            AeronCounters.DRIVER_SENDER_POSITION_TYPE_ID;
        final CountersReader counters = driver.aeron().countersReader();
        while (publication.isConnected() && System.nanoTime() - deadline < 0 &&
            StreamCounters.min(counters, typeId, publication.sessionId(), publication.streamId()) < target)
        {
            try
            {
                Thread.sleep(1);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void release()
    {
        try
        {
            if (recording != null)
            {
                recording.close();
            }
            publication.close();
        }
        finally
        {
            driver.close();
        }
    }

    /**
     * One sending thread's encoding buffer and idle strategy.
     */
    private static final class Scratch
    {
        private final MutableDirectBuffer buffer = new ExpandableArrayBuffer(256);
        private final IdleStrategy idleStrategy;

        private Scratch(final AeronEndpoint endpoint)
        {
            this.idleStrategy = IdleStrategies.of(endpoint.waitStrategy());
        }
    }
}
