package io.ringlink.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A subprocess's standard input as a channel whose blocking write can be ended from another thread.
 * <p>
 * {@code Process.getOutputStream()} writes with {@code FileOutputStream}: a write blocked on a full pipe (a process
 * that does not read) ignores interrupts and holds the stream's lock, so neither interrupting nor closing it frees the
 * thread. On Linux the pipe can be opened again through {@code /proc/self/fd}: a {@link FileChannel} on it is
 * interruptible, and closing it wakes a blocked write. The process's own stream is then closed, so that this channel
 * is the only write end (the process sees the end of its input when it closes, and a write fails with a broken pipe
 * when the process is gone). Where that is not possible (another OS, no {@code /proc}), the stream is used as it is.
 */
final class ProcessPipes
{
    private static final Path SELF_FDS = Path.of("/proc/self/fd");
    private static final int ACCESS_MODE = 3;
    private static final int WRITE_ONLY = 1;

    private ProcessPipes()
    {
    }

    /**
     * The process's standard input for a sink: the channel is made at once (it never waits), and closed on release
     * even if the sink never wrote, so that the process sees the end of its input.
     *
     * @param process a process started with its input a pipe.
     * @return the opener.
     * @throws IOException if closing the replaced stream failed.
     */
    static ChannelOpener<WritableByteChannel> stdinOpener(final Process process) throws IOException
    {
        final WritableByteChannel stdin = stdin(process);
        return new ChannelOpener<>()
        {
            @Override
            public WritableByteChannel open()
            {
                return stdin;
            }

            @Override
            public void release(final boolean opened) throws IOException
            {
                if (!opened)
                {
                    stdin.close();
                }
            }
        };
    }

    /**
     * The process's standard input.
     *
     * @param process a process started with its input a pipe.
     * @return an interruptible {@link FileChannel} where possible, otherwise the process's stream as a channel.
     * @throws IOException if closing the replaced stream failed.
     */
    static WritableByteChannel stdin(final Process process) throws IOException
    {
        final OutputStream stream = process.getOutputStream();
        final Path writeEnd = writeEndOfStdin(process);
        if (writeEnd != null)
        {
            final FileChannel channel;
            try
            {
                channel = FileChannel.open(writeEnd, StandardOpenOption.WRITE);
            }
            catch (final IOException | UnsupportedOperationException ex)
            {
                return StreamChannels.of(stream);
            }
            stream.close();
            return channel;
        }
        return StreamChannels.of(stream);
    }

    /**
     * This process's descriptor (under {@code /proc/self/fd}) for the write end of the pipe that is the process's
     * standard input: the only write-only descriptor of this process on the same pipe, or {@code null}.
     */
    private static Path writeEndOfStdin(final Process process)
    {
        try
        {
            final String pipe = Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "fd", "0"))
                .toString();
            if (!pipe.startsWith("pipe:"))
            {
                return null;
            }
            Path found = null;
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(SELF_FDS))
            {
                for (final Path fd : fds)
                {
                    if (isWriteEnd(fd, pipe))
                    {
                        if (found != null)
                        {
                            return null;
                        }
                        found = fd;
                    }
                }
            }
            return found;
        }
        catch (final IOException | UnsupportedOperationException | SecurityException ex)
        {
            return null;
        }
    }

    private static boolean isWriteEnd(final Path fd, final String pipe)
    {
        try
        {
            if (!Files.readSymbolicLink(fd).toString().equals(pipe))
            {
                return false;
            }
            final Path info = Path.of("/proc/self/fdinfo", fd.getFileName().toString());
            for (final String line : Files.readAllLines(info))
            {
                if (line.startsWith("flags:"))
                {
                    final int flags = Integer.parseInt(line.substring("flags:".length()).trim(), 8);
                    return (flags & ACCESS_MODE) == WRITE_ONLY;
                }
            }
            return false;
        }
        catch (final IOException | NumberFormatException ex)
        {
            // a descriptor closed while we looked, or not a link: not the pipe
            return false;
        }
    }
}
