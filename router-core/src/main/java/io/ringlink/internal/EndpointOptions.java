package io.ringlink.internal;

import io.ringlink.spi.EndpointUri;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How byte and text endpoints read and write, from a {@code Linker} or from a URI's parameters.
 *
 * @param charset         charset of text.
 * @param chunks          {@code true}: byte sources hand over {@code byte[]} chunks; {@code false}: lines.
 * @param chunkSize       bytes read at a time, the largest chunk.
 * @param maxLineLength   the longest line in chars.
 * @param splitLongLines  {@code true}: split longer lines; {@code false}: fail the source.
 * @param replaceMalformed {@code true}: replace malformed input; {@code false}: fail the source.
 * @param follow          a file source follows appends, like {@code tail -f} (the open file).
 * @param followName      a following file source follows the name across rotation and truncation, like
 *                        {@code tail -F}.
 * @param reopen          a FIFO source keeps reading when its writer closes and another opens.
 * @param rawLines        line sources hand over {@link RawLines}: whole lines as their bytes, terminators included,
 *                        for byte destinations only.
 * @param keep            a FIFO the link created stays after close.
 * @param stderr          a process source also reads stderr.
 * @param truncate        a file sink empties the file first.
 * @param closeGiven      streams and channels the caller handed in are closed with the link.
 */
public record EndpointOptions(
    Charset charset,
    boolean chunks,
    int chunkSize,
    int maxLineLength,
    boolean splitLongLines,
    boolean replaceMalformed,
    boolean follow,
    boolean followName,
    boolean reopen,
    boolean rawLines,
    boolean keep,
    boolean stderr,
    boolean truncate,
    boolean closeGiven)
{
    private static final int FOLLOW_NONE = 0;
    private static final int FOLLOW_DESCRIPTOR = 1;
    private static final int FOLLOW_NAME = 2;

    /** What {@code Router.read/write} use. */
    public static final EndpointOptions DEFAULTS = new EndpointOptions(
        StandardCharsets.UTF_8, false, 64 * 1024, 1024 * 1024, true, true, false, false, false, false, false, false,
        false, false);

    /**
     * The options a URI's parameters give, these options filling in what is missing.
     *
     * @param uri the URI.
     * @return the options.
     * @throws IllegalArgumentException naming a malformed parameter.
     */
    public EndpointOptions with(final EndpointUri uri)
    {
        final String codec = uri.parameter("codec", chunks ? "bytes" : "utf8").toLowerCase(Locale.ROOT);
        if (!codec.equals("utf8") && !codec.equals("bytes"))
        {
            throw new IllegalArgumentException("endpoint URI '" + uri + "': codec=" + codec +
                " is not supported here; supported: utf8, bytes");
        }
        final long chunk = uri.size("chunk", chunkSize);
        final long maxLine = uri.number("maxLine", maxLineLength);
        if (chunk < 1 || chunk > 1 << 30 || maxLine < 2 || maxLine > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("endpoint URI '" + uri + "': chunk must be from 1 to 1g and maxLine" +
                " from 2 to " + Integer.MAX_VALUE + ", got chunk=" + chunk + ", maxLine=" + maxLine);
        }
        return new EndpointOptions(
            charset(uri, charset),
            codec.equals("bytes"),
            (int)chunk,
            (int)maxLine,
            choice(uri, "longLines", splitLongLines, "split", "reject"),
            choice(uri, "malformed", replaceMalformed, "replace", "report"),
            followMode(uri) != FOLLOW_NONE,
            followMode(uri) == FOLLOW_NAME,
            uri.flag("reopen", reopen),
            choice(uri, "lines", rawLines, "raw", "text"),
            uri.flag("keep", keep),
            uri.flag("stderr", stderr),
            uri.flag("truncate", truncate),
            closeGiven);
    }

    /**
     * These options as URI parameters, the defaults a provider sees.
     *
     * @return the parameters.
     */
    public Map<String, String> toParameters()
    {
        final Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("charset", charset.name());
        parameters.put("codec", chunks ? "bytes" : "utf8");
        parameters.put("chunk", Integer.toString(chunkSize));
        parameters.put("maxLine", Integer.toString(maxLineLength));
        parameters.put("longLines", splitLongLines ? "split" : "reject");
        parameters.put("malformed", replaceMalformed ? "replace" : "report");
        parameters.put("follow", followName ? "name" : Boolean.toString(follow));
        parameters.put("reopen", Boolean.toString(reopen));
        parameters.put("lines", rawLines ? "raw" : "text");
        parameters.put("keep", Boolean.toString(keep));
        parameters.put("stderr", Boolean.toString(stderr));
        parameters.put("truncate", Boolean.toString(truncate));
        return parameters;
    }

    /**
     * {@code follow=name} follows the name ({@code tail -F}); {@code follow}, {@code follow=descriptor} or another
     * true flag word follows the open file ({@code tail -f}); a false word or no parameter does not follow.
     */
    private int followMode(final EndpointUri uri)
    {
        final String value = uri.parameter("follow", null);
        if (value == null)
        {
            return followName ? FOLLOW_NAME : follow ? FOLLOW_DESCRIPTOR : FOLLOW_NONE;
        }
        if (value.equalsIgnoreCase("name"))
        {
            return FOLLOW_NAME;
        }
        if (value.equalsIgnoreCase("descriptor"))
        {
            return FOLLOW_DESCRIPTOR;
        }
        try
        {
            return uri.flag("follow", false) ? FOLLOW_DESCRIPTOR : FOLLOW_NONE;
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("endpoint URI '" + uri + "': follow=" + value +
                " is not name, descriptor, true or false", ex);
        }
    }

    private static Charset charset(final EndpointUri uri, final Charset defaultCharset)
    {
        final String name = uri.parameter("charset", null);
        try
        {
            return name == null ? defaultCharset : Charset.forName(name);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("endpoint URI '" + uri + "': charset=" + name + " is not supported", ex);
        }
    }

    private static boolean choice(
        final EndpointUri uri, final String name, final boolean defaultValue, final String yes, final String no)
    {
        final String value = uri.parameter(name, null);
        if (value == null)
        {
            return defaultValue;
        }
        if (value.equalsIgnoreCase(yes) || value.equalsIgnoreCase(no))
        {
            return value.equalsIgnoreCase(yes);
        }
        throw new IllegalArgumentException("endpoint URI '" + uri + "': " + name + "=" + value + " is not " + yes +
            " or " + no);
    }
}
