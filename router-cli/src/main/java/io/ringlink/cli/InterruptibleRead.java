package io.ringlink.cli;

/**
 * A source whose read may block for as long as its peer is silent (standard input, a command's output), and that
 * can end that read from another thread so that a stop on Ctrl-C or SIGTERM does not wait for the drain timeout.
 * What was already read is still handed over; the source then reports its end.
 */
interface InterruptibleRead
{
    /**
     * Ends a read in progress and any later read with the end of the stream. Idempotent; called from the signal
     * handler's thread.
     */
    void interruptRead();
}
