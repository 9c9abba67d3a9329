package io.ringlink.aeron.internal;

import io.aeron.AvailableImageHandler;
import io.aeron.Image;
import io.aeron.UnavailableImageHandler;
import org.agrona.collections.Int2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches a subscription's images join and leave (on the Aeron client's conductor thread), logs them with their
 * positions and counts the gaps where messages may have been lost: an image that joins after where it was expected
 * to start (a late or restarted subscriber: the bytes before are missed), a session that comes back further on than
 * it left, and an image that leaves without its end-of-stream mark (the publisher died or the network broke).
 */
public final class ImageGaps implements AvailableImageHandler, UnavailableImageHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(ImageGaps.class);

    private final String name;
    private final Int2ObjectHashMap<long[]> leftAt = new Int2ObjectHashMap<>();
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong lostBytes = new AtomicLong();
    private volatile long expectedJoin;
    private volatile boolean closed;

    /**
     * Creates the watcher.
     *
     * @param name names the source in logs.
     */
    public ImageGaps(final String name)
    {
        this.name = name;
    }

    /**
     * Sets where a new image is expected to join: {@code 0} (the start of a stream) unless a replay starts further
     * on. Call before the subscription is added.
     *
     * @param position the expected join position.
     */
    public void expectJoinAt(final long position)
    {
        expectedJoin = position;
    }

    /**
     * Stops counting images that leave: the subscription is closing.
     */
    public void close()
    {
        closed = true;
    }

    /**
     * The gaps counted.
     *
     * @return the count.
     */
    public long gaps()
    {
        return gaps.get();
    }

    /**
     * The bytes of stream the gaps are known to have skipped.
     *
     * @return the count.
     */
    public long lostBytes()
    {
        return lostBytes.get();
    }

    @Override
    public void onAvailableImage(final Image image)
    {
        final long join = image.joinPosition();
        final long lost;
        synchronized (leftAt)
        {
            final long[] left = leftAt.remove(image.sessionId());
            lost = left != null ? join - left[0] : join - expectedJoin;
        }
        if (lost > 0)
        {
            final long count = gaps.incrementAndGet();
            lostBytes.addAndGet(lost);
            LOG.warn("{}: publisher session {} from {} joined at position {}: {} bytes of its stream were missed " +
                "(gap {})", name, image.sessionId(), image.sourceIdentity(), join, lost, count);
        }
        else
        {
            LOG.info("{}: publisher session {} from {} joined at position {}", name, image.sessionId(),
                image.sourceIdentity(), join);
        }
    }

    @Override
    public void onUnavailableImage(final Image image)
    {
        final long position = image.position();
        if (image.isEndOfStream())
        {
            LOG.info("{}: publisher session {} from {} ended at position {}", name, image.sessionId(),
                image.sourceIdentity(), position);
            return;
        }
        synchronized (leftAt)
        {
            leftAt.put(image.sessionId(), new long[] {position});
        }
        if (closed)
        {
            return;
        }
        final long count = gaps.incrementAndGet();
        LOG.warn("{}: publisher session {} from {} left at position {} without ending its stream (the publisher " +
            "died or the network broke): what it had not sent yet is lost (gap {})", name, image.sessionId(),
            image.sourceIdentity(), position, count);
    }
}
