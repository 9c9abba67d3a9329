package io.ringlink.internal;

/**
 * A text source that counts the input bytes it did not carry as they were: malformed input replaced by U+FFFD,
 * the {@code \r} of line ends dropped (a text destination writes {@code \n}), a line split at the length limit, a
 * last line without its line end. Zero when every byte is carried as is (a {@code lines=raw} source always is).
 */
public interface ChangedBytes
{
    /**
     * The count so far; may be read from any thread.
     *
     * @return the number of input bytes changed, dropped or added.
     */
    long changedBytes();
}
