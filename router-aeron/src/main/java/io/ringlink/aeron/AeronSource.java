package io.ringlink.aeron;

import io.aeron.AeronCounters;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.aeron.protocol.DataHeaderFlyweight;
import io.ringlink.AcknowledgingSource;
import io.ringlink.MessageHandler;
import io.ringlink.aeron.internal.AeronDrivers;
import io.ringlink.aeron.internal.AeronEndpoint;
import io.ringlink.aeron.internal.ArchiveReplay;
import io.ringlink.aeron.internal.ImageGaps;
import io.ringlink.aeron.internal.NamedPosition;
import io.ringlink.aeron.internal.StreamCounters;
import io.ringlink.offheap.Codec;
import io.ringlink.offheap.CodecException;
import io.ringlink.offheap.RecordHandler;
import io.ringlink.offheap.internal.CarriedDecoding;
import io.ringlink.offheap.internal.IdleStrategies;
import io.ringlink.spi.EndpointUri;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.status.CountersReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Subscribes to an Aeron stream: the receiving side of an {@code aeron:} link. Plugs into {@code Router.read}; a
 * {@link #read(MessageHandler, int)} polls with a {@link FragmentAssembler} (messages longer than the MTU arrive
 * whole), never more than {@code limit} fragments per poll, and waits per the wait strategy up to about 50 ms for a
 * message before it returns 0.
 * <p>
 * Every publisher's stream is an image. Images joining and leaving are logged with their positions. A break where
 * messages may have been lost is a gap, counted in {@link #gaps()} and logged, never silent:
 * <ul>
 *     <li>an image that joins after its stream began (this subscriber started or restarted late): the bytes it
 *     missed are added to {@link #lostBytes()};</li>
 *     <li>a publisher session that comes back further on than it left: the bytes between are lost;</li>
 *     <li>an image that leaves without its end-of-stream mark (the publisher died or the network broke): what the
 *     publisher had not yet sent is lost, and Aeron cannot tell how much.</li>
 * </ul>
 * A record that does not decode is skipped, counted ({@link #malformedCount()}) and logged.
 * <p>
 * With {@code archive-control=host:port} the source replays the latest recording of its stream from the Archive
 * there, from {@code start=} ({@code start}, the default, or a recording position) or from its stored
 * {@code name=} position, and then merges into the live stream (Aeron's {@code ReplayMerge}) without a gap or a
 * duplicate at the seam. The Archive is contacted on the first read, not when the source is opened. A named
 * position advances only once every sink of the router has a message ({@link #onDelivered(long)}), so a reader
 * killed and restarted sees again at most the messages its router held and had not delivered everywhere (at most
 * its ring size plus one read), never fewer.
 *
 * @param <T> type of message.
 */
public final class AeronSource<T> implements AcknowledgingSource<T>
{
    private static final Logger LOG = LoggerFactory.getLogger(AeronSource.class);
    private static final long READ_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final AeronEndpoint endpoint;
    private final AeronDrivers.Handle driver;
    private final Codec<T> codec;
    private final IdleStrategy idleStrategy;
    private final NamedPosition named;
    private volatile Subscription subscription;
    private volatile ArchiveReplay replay;
    private final FragmentAssembler decodingAssembler;
    private final FragmentAssembler bytesAssembler;
    private final ImageGaps images;
    private final AtomicLong malformed = new AtomicLong();
    private MessageHandler<? super T> handler;
    private RecordHandler recordHandler;
    private int handed;
    private long framedBytes;
    private long messages;
    private volatile boolean closed;

    private AeronSource(final AeronEndpoint endpoint, final AeronDrivers.Handle driver, final Codec<T> codec)
    {
        this.endpoint = endpoint;
        this.driver = driver;
        this.codec = codec;
        this.idleStrategy = IdleStrategies.of(endpoint.waitStrategy());
        this.images = new ImageGaps(endpoint.uri());
        final FragmentHandler decode = this::onDecodedFragment;
        final FragmentHandler bytes = this::onBytesFragment;
        this.decodingAssembler = new FragmentAssembler(decode);
        this.bytesAssembler = new FragmentAssembler(bytes);
        if (endpoint.control() == null)
        {
            if (endpoint.name() != null)
            {
                throw new IllegalArgumentException("endpoint URI '" + endpoint.uri() + "': name= needs " +
                    "archive-control= (a live stream has no history to resume in)");
            }
            this.named = null;
            this.subscription = driver.aeron().addSubscription(
                endpoint.channel(), endpoint.streamId(), images, images);
        }
        else
        {
            this.named = endpoint.name() == null ? null : NamedPosition.open(endpoint);
        }
    }

    /**
     * Opens a source for an {@code aeron:} URI with the codec it names ({@code utf8} by default).
     *
     * @param uri the URI, such as {@code aeron:udp?endpoint=10.0.0.2:40123|stream=7}.
     * @return the source; close it.
     * @throws IOException              if the media driver cannot be started or reached.
     * @throws IllegalArgumentException naming the URI if it is malformed.
     */
    public static AeronSource<?> open(final String uri) throws IOException
    {
        return open(EndpointUri.parse(uri));
    }

    /**
     * Opens a source for a parsed {@code aeron:} URI with the codec it names.
     *
     * @param uri the URI.
     * @return the source; close it.
     * @throws IOException              if the media driver cannot be started or reached.
     * @throws IllegalArgumentException naming the URI if it is malformed.
     */
    public static AeronSource<?> open(final EndpointUri uri) throws IOException
    {
        final AeronEndpoint endpoint = AeronEndpoint.parse(uri);
        return open(endpoint, AeronSink.codec(endpoint));
    }

    /**
     * Opens a source for an {@code aeron:} URI with a codec of the caller's (the URI's {@code codec=} is ignored).
     *
     * @param uri   the URI.
     * @param codec decodes messages.
     * @param <T>   type of message.
     * @return the source; close it.
     * @throws IOException              if the media driver cannot be started or reached.
     * @throws IllegalArgumentException naming the URI if it is malformed.
     */
    public static <T> AeronSource<T> open(final String uri, final Codec<T> codec) throws IOException
    {
        return open(AeronEndpoint.parse(EndpointUri.parse(uri)), codec);
    }

    static <T> AeronSource<T> open(final AeronEndpoint endpoint, final Codec<T> codec) throws IOException
    {
        final AeronDrivers.Handle driver = AeronDrivers.acquire(endpoint);
        try
        {
            return new AeronSource<>(endpoint, driver, codec);
        }
        catch (final IllegalArgumentException ex)
        {
            driver.close();
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            driver.close();
            throw new IOException("endpoint URI '" + endpoint.uri() + "': cannot add the subscription: " + ex, ex);
        }
    }

    static Object key(final AeronEndpoint endpoint)
    {
        return "aeron:" + endpoint.channel() + " stream " + endpoint.streamId();
    }

    /**
     * The subscription read from (for its images; do not close it).
     *
     * @return the subscription.
     */
    public Subscription subscription()
    {
        return subscription;
    }

    /**
     * Whether at least one publisher's image is connected now.
     *
     * @return {@code true} when connected.
     */
    public boolean isConnected()
    {
        final Subscription current = subscription;
        return current != null && current.isConnected();
    }

    /**
     * Whether a replaying source has merged into the live stream.
     *
     * @return {@code true} once merged; {@code false} before, and for a source that does not replay.
     */
    public boolean isMerged()
    {
        final ArchiveReplay current = replay;
        return current != null && current.isMerged();
    }

    @Override
    public int read(final MessageHandler<? super T> handler, final int limit) throws IOException
    {
        if (closed)
        {
            return END_OF_STREAM;
        }
        int read = readAvailable(handler, limit);
        if (read > 0)
        {
            return read;
        }
        final long deadline = System.nanoTime() + READ_WAIT_NS;
        idleStrategy.reset();
        while (read == 0 && System.nanoTime() - deadline < 0 && !closed && !Thread.currentThread().isInterrupted())
        {
            idleStrategy.idle();
            read = readAvailable(handler, limit);
        }
        return read;
    }

    /**
     * Hands the whole messages of up to {@code limit} fragments that are there now, without waiting.
     *
     * @param handler receives each message.
     * @param limit   the most fragments to poll, so the most messages handed.
     * @return the number handed, {@code 0} when none is there, or {@link #END_OF_STREAM} once closed.
     * @throws IOException if the Archive cannot be reached (a replaying source's first read).
     */
    @Override
    public int readAvailable(final MessageHandler<? super T> handler, final int limit) throws IOException
    {
        if (closed)
        {
            return END_OF_STREAM;
        }
        this.handler = handler;
        handed = 0;
        try
        {
            poll(decodingAssembler, limit);
            return handed;
        }
        finally
        {
            this.handler = null;
        }
    }

    /**
     * {@code true} for a live subscription: a poll of its images never waits, so in {@code SHARED} the source runs
     * on a delivery agent. {@code false} with {@code archive-control=}: its first read connects to the Archive and
     * starts the replay, which waits for the Archive's answers.
     *
     * @return whether this source reads without blocking.
     */
    @Override
    public boolean readsWithoutBlocking()
    {
        return endpoint.control() == null;
    }

    /**
     * Hands up to {@code limit} fragments' worth of whole messages to the handler as bytes, without decoding or
     * waiting: the zero-copy path. A message that fits one fragment is handed in place in the term buffer.
     *
     * @param handler receives each message's bytes.
     * @param limit   the most fragments to poll.
     * @return the number of messages handed over.
     */
    public int read(final RecordHandler handler, final int limit) throws IOException
    {
        recordHandler = handler;
        handed = 0;
        try
        {
            poll(bytesAssembler, limit);
            return handed;
        }
        finally
        {
            recordHandler = null;
        }
    }

    private void poll(final FragmentHandler assembler, final int limit) throws IOException
    {
        if (endpoint.control() == null)
        {
            subscription.poll(assembler, limit);
            return;
        }
        if (replay == null)
        {
            if (closed)
            {
                return;
            }
            final ArchiveReplay started = ArchiveReplay.start(driver.aeron(), endpoint, named, images);
            subscription = started.subscription();
            replay = started;
            if (closed)
            {
                started.close();
                return;
            }
        }
        final ArchiveReplay current = replay;
        if (current != null)
        {
            current.poll(assembler, limit);
        }
    }

    /**
     * Stores the named position of the last message every sink has passed (a source with {@code name=}); does
     * nothing otherwise.
     *
     * @param messages the number of messages passed by every sink, counted from this source's first.
     */
    @Override
    public void onDelivered(final long messages)
    {
        if (named != null)
        {
            named.onDelivered(messages);
        }
    }

    /**
     * Breaks in the stream where messages may have been lost: late joins, sessions that came back further on, and
     * images that left without an end-of-stream mark.
     *
     * @return the count.
     */
    @Override
    public long gaps()
    {
        return images.gaps();
    }

    /**
     * Bytes of stream the gaps are known to have skipped (Aeron counts bytes, not messages; a message takes its
     * length plus a 32-byte header, aligned to 32 bytes).
     *
     * @return the count, not counting publishers that died (unknowable).
     */
    public long lostBytes()
    {
        return images.lostBytes();
    }

    /**
     * Records that did not decode and were skipped.
     *
     * @return the count.
     */
    public long malformedCount()
    {
        return malformed.get();
    }

    /**
     * An estimate of the messages received by the driver and not read yet: for each image, the driver's
     * high-water mark (or, for {@code aeron:ipc}, the publisher's position) minus this subscriber's position, in
     * bytes, over the average framed length of the messages read so far.
     *
     * @return the estimate, {@code 0} when caught up.
     */
    @Override
    public long backlog()
    {
        if (closed)
        {
            return 0;
        }
        final Subscription current = subscription;
        if (current == null)
        {
            return 0;
        }
        final List<Image> images = current.images();
        if (images.isEmpty())
        {
            return 0;
        }
        final CountersReader counters = driver.aeron().countersReader();
        long bytes = 0;
        for (final Image image : images)
        {
            final long head = StreamCounters.max(counters, AeronCounters.DRIVER_RECEIVER_HWM_TYPE_ID,
                AeronCounters.DRIVER_PUBLISHER_POS_TYPE_ID, image.sessionId(), endpoint.streamId());
            if (head > image.position())
            {
                bytes += head - image.position();
            }
        }
        if (bytes == 0)
        {
            return 0;
        }
        final long average = messages == 0 ?
            DataHeaderFlyweight.HEADER_LENGTH * 2 : Math.max(1, framedBytes / messages);
        return Math.max(1, bytes / average);
    }

    @Override
    public Object endpoint()
    {
        return key(endpoint);
    }

    @Override
    public String name()
    {
        return endpoint.uri();
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        images.close();
        try
        {
            if (replay != null)
            {
                replay.close();
            }
            else if (subscription != null)
            {
                subscription.close();
            }
            if (named != null)
            {
                named.close();
            }
        }
        finally
        {
            driver.close();
        }
    }

    private void onDecodedFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        countFrame(length);
        final T message;
        try
        {
            message = CarriedDecoding.decode(codec, buffer, offset, length);
        }
        catch (final CodecException ex)
        {
            skip(length, ex.getMessage());
            return;
        }
        handed++;
        if (named != null)
        {
            named.onHanded(header.position());
        }
        handler.onMessage(message);
    }

    private void onBytesFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        countFrame(length);
        handed++;
        if (named != null)
        {
            named.onHanded(header.position());
        }
        recordHandler.onRecord(buffer, offset, length);
    }

    private void countFrame(final int length)
    {
        messages++;
        framedBytes += BitUtil.align(length + DataHeaderFlyweight.HEADER_LENGTH, 32);
    }

    private void skip(final int length, final String reason)
    {
        final long count = malformed.incrementAndGet();
        LOG.warn("{}: skipped a message of {} bytes that codec {} cannot decode ({} so far): {}", endpoint.uri(),
            length, codec.name(), count, reason);
    }
}
