package io.ringlink.offheap.internal.chronicle;

import io.ringlink.internal.OwnerOnlyFiles;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The cycle files of one queue: keeps them owner-only (0600) and deletes old ones.
 * <p>
 * Retention: a cycle file is deleted once its cycle ended more than the retention ago, it is not the newest cycle,
 * and every named reader (RingLink's committed positions and Chronicle's own named tailers, all kept in the queue's
 * {@code metadata.cq4t}) has moved past it. A reader that never stored a position does not hold files back.
 */
public final class CycleFiles implements StoreFileListener
{
    /** Prefix of the table store keys that hold named positions ({@code indexForId} adds {@code index.}). */
    static final String POSITION_KEY_PREFIX = "index.";
    private static final Logger LOG = LoggerFactory.getLogger(CycleFiles.class);

    private final Path dir;
    private final Duration retention;
    private volatile long deleted;

    /**
     * Manages the files of a queue directory.
     *
     * @param dir       the queue directory.
     * @param retention how long a finished cycle is kept, or {@code null} to keep every cycle.
     */
    public CycleFiles(final Path dir, final Duration retention)
    {
        this.dir = dir;
        this.retention = retention;
    }

    @Override
    public void onAcquired(final int cycle, final File file)
    {
        ownerOnly(file.toPath());
    }

    @Override
    public void onReleased(final int cycle, final File file)
    {
    }

    /**
     * Called by a writer once it appended the first document of a cycle: makes the cycle file owner-only (Chronicle
     * creates it with the process umask; the 0700 directory already keeps others out).
     *
     * @param file the cycle file, or {@code null} if unknown.
     */
    public void onNewCycle(final File file)
    {
        if (file != null)
        {
            ownerOnly(file.toPath());
        }
    }

    /**
     * Makes every file of the queue directory that this user owns owner-only.
     */
    public void ownerOnlyAll()
    {
        try (Stream<Path> files = Files.list(dir))
        {
            files.forEach(CycleFiles::ownerOnly);
        }
        catch (final IOException ex)
        {
            LOG.warn("cannot list {} to restrict its files to their owner", dir, ex);
        }
    }

    private static void ownerOnly(final Path file)
    {
        try
        {
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
            {
                OwnerOnlyFiles.restrict(file);
            }
        }
        catch (final IOException | SecurityException ex)
        {
            LOG.debug("cannot restrict {} to its owner", file, ex);
        }
    }

    /**
     * Cycle files deleted by this object so far.
     *
     * @return the count.
     */
    public long deleted()
    {
        return deleted;
    }

    /**
     * Deletes the cycle files retention allows to delete. Cheap enough to run once per roll, not per message.
     *
     * @param queue the open queue of this directory.
     * @param nowMillis the current time.
     * @return the number of files deleted.
     */
    public int sweep(final SingleChronicleQueue queue, final long nowMillis)
    {
        if (retention == null)
        {
            return 0;
        }
        final RollCycle rollCycle = queue.rollCycle();
        final long lastCycle = queue.lastCycle();
        final long neededFrom = oldestNeededCycle(queue);
        final RollingResourcesCache names = new RollingResourcesCache(rollCycle, queue.epoch(),
            (name) -> new File(dir.toFile(), name + SingleChronicleQueue.SUFFIX),
            (file) -> file.getName().substring(0, file.getName().length() - SingleChronicleQueue.SUFFIX.length()));
        final List<Path> candidates = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir))
        {
            files.filter((file) -> file.getFileName().toString().endsWith(SingleChronicleQueue.SUFFIX))
                .forEach(candidates::add);
        }
        catch (final IOException ex)
        {
            LOG.warn("retention: cannot list {}", dir, ex);
            return 0;
        }
        int count = 0;
        for (final Path file : candidates)
        {
            final long cycle;
            try
            {
                cycle = names.toLong(file.toFile());
            }
            catch (final RuntimeException ex)
            {
                continue;
            }
            final long cycleEndMillis = queue.epoch() + (cycle + 1) * rollCycle.lengthInMillis();
            if (cycle < lastCycle && cycle < neededFrom && nowMillis - cycleEndMillis > retention.toMillis())
            {
                try
                {
                    if (Files.deleteIfExists(file))
                    {
                        count++;
                    }
                }
                catch (final IOException ex)
                {
                    LOG.warn("retention: cannot delete {}", file, ex);
                }
            }
        }
        if (count > 0)
        {
            deleted += count;
            queue.refreshDirectoryListing();
            LOG.debug("retention: deleted {} cycle files of {}", count, dir);
        }
        return count;
    }

    /** The oldest cycle a named reader still needs, or {@code Long.MAX_VALUE} when none holds one. */
    private static long oldestNeededCycle(final SingleChronicleQueue queue)
    {
        final List<String> keys = new ArrayList<>();
        queue.metaStore().forEachKey(keys, (list, key, value) ->
        {
            final String name = key.toString();
            if (name.startsWith(POSITION_KEY_PREFIX) && !name.endsWith(".lock") && !name.endsWith(".version"))
            {
                list.add(name);
            }
        });
        long oldest = Long.MAX_VALUE;
        for (final String key : keys)
        {
            final long index = queue.tableStoreGet(key);
            if (index > 0)
            {
                oldest = Math.min(oldest, queue.rollCycle().toCycle(index));
            }
        }
        return oldest;
    }
}
