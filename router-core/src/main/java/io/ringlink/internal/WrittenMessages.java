package io.ringlink.internal;

/**
 * A sink that knows how many of the messages it was given it has handed to the operating system whole, in the middle
 * of a batch too: when a write fails (a broken pipe), those are the ones its reader could have had.
 */
public interface WrittenMessages
{
    /**
     * Messages whose every byte was handed to the operating system, counted from the sink's first message. Read on
     * the delivery thread.
     *
     * @return messages written whole.
     */
    long messagesWritten();
}
