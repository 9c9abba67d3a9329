package io.ringlink.jmh;

/**
 * A {@code shape} parameter, {@code NxM}: N sources (each an exclusive publisher on its own thread) into M sinks.
 *
 * @param sources N, at least 1.
 * @param sinks   M, at least 1.
 */
record Shape(int sources, int sinks)
{
    /**
     * Parses {@code NxM}.
     *
     * @param text e.g. {@code 8x8}.
     * @return the shape.
     * @throws IllegalArgumentException if the text is not two positive numbers around an {@code x}.
     */
    static Shape parse(final String text)
    {
        final String[] parts = text.split("x");
        if (parts.length != 2)
        {
            throw new IllegalArgumentException("shape must be NxM (sources x sinks), got '" + text + "'");
        }
        final Shape shape = new Shape(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        if (shape.sources < 1 || shape.sinks < 1)
        {
            throw new IllegalArgumentException("shape needs at least one source and one sink, got '" + text + "'");
        }
        return shape;
    }
}
