package io.ringlink.internal;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * A named pipe, made with {@code mkfifo} (mode 0600) if missing. Opening one end waits for the other, so ends are
 * opened by the pump or delivery thread; a waiting open is woken on close by opening the FIFO read-write for a moment
 * (which never waits on Linux). A FIFO this link created is removed on close unless kept.
 */
final class Fifo
{
    private static final long MKFIFO_TIMEOUT_SECONDS = 10;

    private final Path path;
    private final boolean remove;

    private Fifo(final Path path, final boolean remove)
    {
        this.path = path;
        this.remove = remove;
    }

    static Fifo open(final Path path, final boolean keep) throws IOException
    {
        if (Files.exists(path))
        {
            if (!Files.readAttributes(path, BasicFileAttributes.class).isOther())
            {
                throw new IllegalArgumentException("fifo:" + path + " exists and is not a named pipe");
            }
            return new Fifo(path, false);
        }
        final Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", path.toString())
            .redirectErrorStream(true)
            .start();
        try
        {
            final String output = new String(mkfifo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!mkfifo.waitFor(MKFIFO_TIMEOUT_SECONDS, TimeUnit.SECONDS) || mkfifo.exitValue() != 0)
            {
                if (Files.exists(path) && Files.readAttributes(path, BasicFileAttributes.class).isOther())
                {
                    return new Fifo(path, false);
                }
                throw new IOException("mkfifo " + path + " failed: " + output.trim());
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            mkfifo.destroyForcibly();
            throw new IOException("interrupted while making fifo " + path, ex);
        }
        return new Fifo(path, !keep);
    }

    Path path()
    {
        return path;
    }

    ChannelOpener<FileChannel> reader()
    {
        return opener(StandardOpenOption.READ);
    }

    /**
     * A reader that never sees the end of input: it holds the FIFO open for writing itself, so a writer that closes
     * and a new one that opens are one stream (a reusable pipe). It never waits: neither to open nor to read (a read
     * takes only what the pipe holds, and returns 0 when it is empty), so a stop ends it at once.
     */
    ChannelOpener<ReadableByteChannel> reusableReader()
    {
        return new ChannelOpener<>()
        {
            @Override
            public ReadableByteChannel open() throws IOException
            {
                return new ReusableReader(path);
            }

            @Override
            public void release(final boolean opened) throws IOException
            {
                if (remove)
                {
                    Files.deleteIfExists(path);
                }
            }
        };
    }

    ChannelOpener<FileChannel> writer()
    {
        return opener(StandardOpenOption.WRITE);
    }

    private ChannelOpener<FileChannel> opener(final StandardOpenOption mode)
    {
        return new ChannelOpener<>()
        {
            @Override
            public FileChannel open() throws IOException
            {
                return FileChannel.open(path, mode);
            }

            @Override
            public void release(final boolean opened) throws IOException
            {
                try
                {
                    if (!opened)
                    {
                        wake();
                    }
                }
                finally
                {
                    if (remove)
                    {
                        Files.deleteIfExists(path);
                    }
                }
            }
        };
    }

    /** The read end of a reusable FIFO; see {@link #reusableReader()}. */
    private static final class ReusableReader implements ReadableByteChannel
    {
        private final FileChannel keeper;
        private final FileInputStream in;
        private volatile boolean open = true;

        ReusableReader(final Path path) throws IOException
        {
            // Read-write never waits on Linux; with this writer held, the read-only open below does not wait either.
            keeper = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try
            {
                in = new FileInputStream(path.toFile());
            }
            catch (final IOException | RuntimeException ex)
            {
                keeper.close();
                throw ex;
            }
        }

        @Override
        public int read(final ByteBuffer dst) throws IOException
        {
            // available() asks the pipe how much it holds (FIONREAD): a read of at most that never blocks.
            final int available = Math.min(in.available(), dst.remaining());
            if (available <= 0)
            {
                return 0;
            }
            return Math.max(0, StreamChannels.read(in, dst, available));
        }

        @Override
        public boolean isOpen()
        {
            return open;
        }

        @Override
        public void close() throws IOException
        {
            open = false;
            try
            {
                in.close();
            }
            finally
            {
                keeper.close();
            }
        }
    }

    /** Opens and closes the FIFO read-write: an open waiting for a peer returns, and a reader then sees the end. */
    private void wake() throws IOException
    {
        try
        {
            FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
        }
        catch (final NoSuchFileException ex)
        {
            // removed by someone else: nobody can be waiting on it through this path
            return;
        }
    }
}
