package io.ringlink.offheap;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A ring file cannot be used: it is not a ring file, has another format version, is truncated, does not match what
 * the caller expects, or already exists. The message names the file and the problem; the file was not modified.
 */
public class RingFileException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * Creates the exception.
     *
     * @param file    the ring file.
     * @param problem what is wrong with it.
     */
    public RingFileException(final Path file, final String problem)
    {
        super("ring file " + file + ": " + problem);
        this.file = file;
    }

    /**
     * The ring file.
     *
     * @return the path.
     */
    public Path file()
    {
        return file;
    }
}
