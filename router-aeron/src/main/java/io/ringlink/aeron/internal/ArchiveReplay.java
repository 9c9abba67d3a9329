package io.ringlink.aeron.internal;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ReplayMerge;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.protocol.DataHeaderFlyweight;
import org.agrona.CloseHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * A source's replay from a remote Archive merged into the live stream ({@code archive-control=host:port} on a
 * source): connects to the Archive, finds the latest recording of the stream, replays it from {@code start=} (or the
 * stored {@code name=} position) onto a manual multi-destination subscription and lets {@link ReplayMerge} add the
 * live destination and drop the replay once they meet, without a gap or a duplicate at the seam.
 */
public final class ArchiveReplay implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveReplay.class);

    private final AeronEndpoint endpoint;
    private final AeronArchive archive;
    private final Subscription subscription;
    private final ReplayMerge merge;
    private final long recordingId;
    private final long startPosition;
    private boolean mergedLogged;

    private ArchiveReplay(
        final AeronEndpoint endpoint,
        final AeronArchive archive,
        final Subscription subscription,
        final ReplayMerge merge,
        final long recordingId,
        final long startPosition)
    {
        this.endpoint = endpoint;
        this.archive = archive;
        this.subscription = subscription;
        this.merge = merge;
        this.recordingId = recordingId;
        this.startPosition = startPosition;
    }

    /**
     * Connects to the Archive and starts the replay. Blocks while the Archive answers (up to its message timeout,
     * 10 s): call it from the reading thread, not when a link is made.
     *
     * @param aeron       the client.
     * @param endpoint    the source's endpoint, with {@code archive-control}.
     * @param named       the stored position, or {@code null}.
     * @param images      watches the images join and leave; told where the replay starts before it does.
     * @return the replay.
     * @throws IOException              if the Archive has no recording of the stream.
     * @throws IllegalArgumentException if {@code start=} is not a position in the recording.
     */
    public static ArchiveReplay start(
        final Aeron aeron,
        final AeronEndpoint endpoint,
        final NamedPosition named,
        final ImageGaps images) throws IOException
    {
        final ChannelUri live = ChannelUri.parse(endpoint.channel());
        if (!live.isUdp())
        {
            throw new IllegalArgumentException("endpoint URI '" + endpoint.uri() + "': archive replay needs an " +
                "aeron:udp channel");
        }
        final String localHost = localHost(endpoint, live);
        final AeronArchive archive = AeronArchive.connect(new AeronArchive.Context()
            .aeron(aeron)
            .ownsAeronClient(false)
            .controlRequestChannel("aeron:udp?endpoint=" + endpoint.control())
            .controlResponseChannel("aeron:udp?endpoint=" + localHost + ":0"));
        Subscription subscription = null;
        try
        {
            final Recording recording = latest(archive, endpoint, live);
            final long start = startPosition(endpoint, named, recording, archive);
            if (named != null && named.recordingId() != recording.recordingId)
            {
                named.reset(recording.recordingId, start);
            }
            images.expectJoinAt(start);
            subscription = aeron.addSubscription("aeron:udp?control-mode=manual|session-id=" + recording.sessionId,
                endpoint.streamId(), images, images);
            final ReplayMerge merge = new ReplayMerge(
                subscription,
                archive,
                "aeron:udp?session-id=" + recording.sessionId,
                "aeron:udp?endpoint=" + localHost + ":0",
                endpoint.channel(),
                recording.recordingId,
                start);
            LOG.info("{}: replaying recording {} (session {}) from position {} and merging into the live stream",
                endpoint.uri(), recording.recordingId, recording.sessionId, start);
            return new ArchiveReplay(endpoint, archive, subscription, merge, recording.recordingId, start);
        }
        catch (final IOException | RuntimeException ex)
        {
            CloseHelper.quietClose(subscription);
            archive.close();
            throw ex;
        }
    }

    private static String localHost(final AeronEndpoint endpoint, final ChannelUri live)
    {
        final String networkInterface = live.get(CommonContext.INTERFACE_PARAM_NAME);
        final String address = networkInterface != null ? networkInterface :
            live.get(CommonContext.ENDPOINT_PARAM_NAME);
        if (address == null)
        {
            throw new IllegalArgumentException("endpoint URI '" + endpoint.uri() + "': archive replay needs " +
                "endpoint= (or interface= for multicast) to know this host's address");
        }
        final String host = address.contains("/") ? address.substring(0, address.indexOf('/')) : address;
        final int colon = host.lastIndexOf(':');
        return colon > 0 ? host.substring(0, colon) : host;
    }

    private static Recording latest(final AeronArchive archive, final AeronEndpoint endpoint, final ChannelUri live)
        throws IOException
    {
        final Recording found = new Recording();
        final String fragment = live.get(CommonContext.ENDPOINT_PARAM_NAME);
        archive.listRecordingsForUri(0, Integer.MAX_VALUE, fragment, endpoint.streamId(),
            (controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition,
            stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId, streamId,
            strippedChannel, originalChannel, sourceIdentity) ->
            {
                if (recordingId > found.recordingId)
                {
                    found.recordingId = recordingId;
                    found.startPosition = startPosition;
                    found.sessionId = sessionId;
                }
            });
        if (found.recordingId < 0)
        {
            throw new IOException("endpoint URI '" + endpoint.uri() + "': the Archive at " + endpoint.control() +
                " has no recording of endpoint " + fragment + " stream " + endpoint.streamId());
        }
        return found;
    }

    private static long startPosition(
        final AeronEndpoint endpoint, final NamedPosition named, final Recording recording, final AeronArchive archive)
    {
        if (named != null && named.recordingId() == recording.recordingId && named.position() >= 0)
        {
            return named.position();
        }
        if (endpoint.start().equals("start"))
        {
            return recording.startPosition;
        }
        final long position;
        try
        {
            position = Long.parseLong(endpoint.start());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("endpoint URI '" + endpoint.uri() + "': start='" + endpoint.start() +
                "' is not 'start' or a recording position", ex);
        }
        final long recorded = archive.getMaxRecordedPosition(recording.recordingId);
        if (position < recording.startPosition || position > recorded ||
            (position & (DataHeaderFlyweight.HEADER_LENGTH - 1)) != 0)
        {
            throw new IllegalArgumentException("endpoint URI '" + endpoint.uri() + "': start=" + position +
                " is not a message boundary of recording " + recording.recordingId + " (from " +
                recording.startPosition + " to " + recorded + ", multiples of 32)");
        }
        return position;
    }

    /**
     * The subscription the replay and then the live stream arrive on.
     *
     * @return the subscription.
     */
    public Subscription subscription()
    {
        return subscription;
    }

    /**
     * The recording replayed.
     *
     * @return its id.
     */
    public long recordingId()
    {
        return recordingId;
    }

    /**
     * Where the replay started.
     *
     * @return the position.
     */
    public long startPosition()
    {
        return startPosition;
    }

    /**
     * Whether the replay has merged into the live stream.
     *
     * @return {@code true} once merged.
     */
    public boolean isMerged()
    {
        return merge.isMerged();
    }

    /**
     * Advances the merge and polls its image.
     *
     * @param handler receives the fragments.
     * @param limit   the most fragments.
     * @return the fragments read.
     * @throws IOException if the merge failed (the Archive went away, the replay stopped).
     */
    public int poll(final FragmentHandler handler, final int limit) throws IOException
    {
        if (merge.hasFailed())
        {
            throw new IOException("endpoint URI '" + endpoint.uri() + "': replay of recording " + recordingId +
                " from the Archive at " + endpoint.control() + " failed: " + merge);
        }
        final int read = merge.poll(handler, limit);
        if (!mergedLogged && merge.isMerged())
        {
            mergedLogged = true;
            LOG.info("{}: replay of recording {} merged into the live stream", endpoint.uri(), recordingId);
        }
        return read;
    }

    @Override
    public void close()
    {
        CloseHelper.quietCloseAll(merge, subscription, archive);
    }

    /**
     * The recording found.
     */
    private static final class Recording
    {
        private long recordingId = -1;
        private long startPosition;
        private int sessionId;
    }
}
