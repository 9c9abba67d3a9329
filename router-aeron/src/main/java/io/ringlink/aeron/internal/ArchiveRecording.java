package io.ringlink.aeron.internal;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.Publication;
import io.aeron.archive.Archive;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.archive.status.RecordingPos;
import org.agrona.concurrent.status.CountersReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A sink's stream recorded into the Archive of this JVM's driver ({@code archive=DIR}): a local spy recording that
 * starts before the first message, so the recording holds the stream from its start.
 */
public final class ArchiveRecording implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveRecording.class);
    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final AeronArchive archive;
    private final Publication publication;
    private final CountersReader counters;
    private final int counterId;
    private final long recordingId;

    private ArchiveRecording(
        final AeronArchive archive, final Publication publication, final CountersReader counters, final int counterId)
    {
        this.archive = archive;
        this.publication = publication;
        this.counters = counters;
        this.counterId = counterId;
        this.recordingId = RecordingPos.getRecordingId(counters, counterId);
    }

    /**
     * The channel a recorded sink publishes on: spies simulate a connection ({@code ssc=true}, unless the URI says
     * otherwise), so the sink publishes into the recording while no remote subscriber is there.
     *
     * @param channel the sink's channel.
     * @return the channel to publish on.
     */
    public static String publicationChannel(final String channel)
    {
        final ChannelUri uri = ChannelUri.parse(channel);
        if (!uri.containsKey(CommonContext.SPIES_SIMULATE_CONNECTION_PARAM_NAME))
        {
            uri.put(CommonContext.SPIES_SIMULATE_CONNECTION_PARAM_NAME, "true");
        }
        return uri.toString();
    }

    /**
     * Starts recording a publication and waits (up to 10 s) until the Archive has its recording counter.
     *
     * @param driver      the driver, which runs the Archive.
     * @param endpoint    the sink's endpoint, for messages.
     * @param publication the publication, nothing offered yet.
     * @return the recording.
     * @throws IOException if the Archive does not start recording.
     */
    public static ArchiveRecording start(
        final AeronDrivers.Handle driver, final AeronEndpoint endpoint, final Publication publication)
        throws IOException
    {
        final Archive.Context context = driver.archive();
        final AeronArchive archive = AeronArchive.connect(new AeronArchive.Context()
            .aeron(driver.aeron())
            .ownsAeronClient(false)
            .controlRequestChannel(context.localControlChannel())
            .controlRequestStreamId(context.localControlStreamId())
            .controlResponseChannel(CommonContext.IPC_CHANNEL));
        try
        {
            final String channel = ChannelUri.addSessionId(publication.channel(), publication.sessionId());
            archive.startRecording(channel, publication.streamId(), SourceLocation.LOCAL);
            final CountersReader counters = driver.aeron().countersReader();
            final long deadline = System.nanoTime() + START_TIMEOUT_NS;
            int counterId;
            while ((counterId = RecordingPos.findCounterIdBySession(counters, publication.sessionId(),
                archive.archiveId())) == CountersReader.NULL_COUNTER_ID)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IOException("endpoint URI '" + endpoint.uri() + "': the Archive did not start " +
                        "recording within 10 s");
                }
                Thread.onSpinWait();
                Thread.yield();
            }
            final ArchiveRecording recording = new ArchiveRecording(archive, publication, counters, counterId);
            LOG.info("{}: recording {} of session {} into {}", endpoint.uri(), recording.recordingId,
                publication.sessionId(), context.archiveDir());
            return recording;
        }
        catch (final IOException | RuntimeException ex)
        {
            archive.close();
            throw ex;
        }
    }

    /**
     * The recording's id in the Archive.
     *
     * @return the id.
     */
    public long recordingId()
    {
        return recordingId;
    }

    /**
     * How far the Archive has recorded.
     *
     * @return the recorded position.
     */
    public long position()
    {
        return counters.getCounterValue(counterId);
    }

    /**
     * Waits until the recording holds everything published, or the deadline passes.
     *
     * @param deadlineNs a {@link System#nanoTime()} deadline.
     */
    public void awaitRecorded(final long deadlineNs)
    {
        final long target = publication.position();
        while (position() < target && System.nanoTime() - deadlineNs < 0 &&
            RecordingPos.isActive(counters, counterId, recordingId))
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

    /**
     * Stops the recording (it stays in the Archive for replay) and closes the Archive client.
     */
    @Override
    public void close()
    {
        try
        {
            archive.tryStopRecordingByIdentity(recordingId);
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("stopping recording {} failed: {}", recordingId, ex.toString());
        }
        finally
        {
            archive.close();
        }
    }
}
