package io.ringlink.internal;

/**
 * Where the text and byte endpoints report what a user of the {@code ringlink} command must see even when quiet: a
 * truncated or rotated file being followed, input bytes that were not carried as they were.
 */
public final class TextNotices
{
    /** The SLF4J logger name of these reports, at WARN. */
    public static final String LOGGER = "io.ringlink.text";

    private TextNotices()
    {
    }
}
