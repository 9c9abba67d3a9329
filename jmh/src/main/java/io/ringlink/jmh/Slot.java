package io.ringlink.jmh;

/**
 * A raw Disruptor ring slot holding a reference, as the router's envelope does.
 */
final class Slot
{
    Object value;
}
