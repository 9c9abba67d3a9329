package io.ringlink.aeron.internal;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.ringlink.WaitStrategy;
import io.ringlink.spi.EndpointUri;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An {@code aeron:} URI split into Aeron's own channel and RingLink's keys. The URI is Aeron's channel syntax with
 * RingLink's keys mixed in, separated by {@code |} or {@code &}:
 * {@code aeron:udp?endpoint=10.0.0.2:40123|mtu=8k|stream=7|codec=bytes}. RingLink's keys are removed and the rest
 * goes to Aeron unchanged, after {@link ChannelUri#parse(CharSequence)} has accepted it.
 * <p>
 * A key that is neither RingLink's ({@link #KEYS}) nor one of Aeron's channel parameters is refused, naming both.
 *
 * @param uri            the URI as given, for messages.
 * @param channel        the Aeron channel, RingLink's keys removed.
 * @param streamId       {@code stream=}, default {@link #STREAM_DEFAULT}.
 * @param codecName      {@code codec=}, default {@code utf8} (or the linker's default).
 * @param waitStrategy   {@code wait=}, default {@code blocking}.
 * @param external       {@code driver=external}: connect to a running media driver instead of embedding one.
 * @param dir            {@code dir=}: the driver's directory, or {@code null} for the default.
 * @param connectTimeout {@code connect-timeout=}: how long a sink waits for a subscriber before it fails a message.
 * @param concurrent     {@code concurrent=true}: a thread-safe sink on a concurrent publication.
 * @param archiveDir     {@code archive=}: a sink records its stream into an Archive in this directory, or
 *                       {@code null}.
 * @param control        {@code archive-control=}: the Archive's control {@code host:port}, or {@code null}
 *                       (not {@code control=}, which is Aeron's own multi-destination control endpoint).
 * @param start          {@code start=}: where a replaying source begins, {@code start} or a recording position.
 * @param name           {@code name=}: a replaying source's stored position, or {@code null}.
 * @param positions      {@code positions=}: the directory where named positions are kept, or {@code null} for
 *                       {@code ~/.ringlink/aeron-positions}.
 */
public record AeronEndpoint(
    String uri,
    String channel,
    int streamId,
    String codecName,
    WaitStrategy waitStrategy,
    boolean external,
    String dir,
    Duration connectTimeout,
    boolean concurrent,
    String archiveDir,
    String control,
    String start,
    String name,
    String positions)
{
    /**
     * The default stream id.
     */
    public static final int STREAM_DEFAULT = 1001;

    /**
     * How long a sink waits for a subscriber by default before it fails a message.
     */
    public static final Duration CONNECT_TIMEOUT_DEFAULT = Duration.ofSeconds(5);

    /**
     * RingLink's keys; everything else is Aeron's.
     */
    public static final Set<String> KEYS = Set.of(
        "stream", "codec", "wait", "driver", "dir", "connect-timeout", "concurrent", "archive", "archive-control",
        "start", "name", "positions");

    private static final Set<String> AERON_KEYS = aeronKeys();

    /**
     * Splits a parsed URI. The keys are read from the URI's own text (so that {@code |} separates them as in
     * Aeron); {@code codec} and {@code wait} fall back to the defaults merged into its parameters by the linker.
     *
     * @param uri the URI of scheme {@code aeron}.
     * @return the endpoint.
     * @throws IllegalArgumentException naming the URI if the channel is malformed or a key unknown.
     */
    public static AeronEndpoint parse(final EndpointUri uri)
    {
        final String text = uri.toString();
        final int question = text.indexOf('?');
        final String media = question < 0 ? text : text.substring(0, question);
        final Map<String, String> own = new LinkedHashMap<>();
        final StringBuilder channel = new StringBuilder(media);
        if (question >= 0)
        {
            char separator = '?';
            for (final String pair : text.substring(question + 1).split("[|&]"))
            {
                if (pair.isEmpty())
                {
                    continue;
                }
                final int equals = pair.indexOf('=');
                if (equals <= 0)
                {
                    throw new IllegalArgumentException("endpoint URI '" + text + "': '" + pair +
                        "' is not key=value");
                }
                final String key = pair.substring(0, equals);
                if (KEYS.contains(key))
                {
                    own.put(key, pair.substring(equals + 1));
                }
                else if (AERON_KEYS.contains(key))
                {
                    channel.append(separator).append(pair);
                    separator = '|';
                }
                else
                {
                    throw new IllegalArgumentException("endpoint URI '" + text + "': unknown parameter '" + key +
                        "'; RingLink's are " + new TreeSet<>(KEYS) + ", Aeron's channel parameters are " +
                        new TreeSet<>(AERON_KEYS));
                }
            }
        }
        final String aeronChannel = channel.toString();
        try
        {
            final ChannelUri parsed = ChannelUri.parse(aeronChannel);
            if (!parsed.isUdp() && !parsed.isIpc())
            {
                throw new IllegalArgumentException("media '" + parsed.media() + "' is not udp or ipc");
            }
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            throw new IllegalArgumentException("endpoint URI '" + text + "' is not a valid Aeron channel (" +
                aeronChannel + "): " + ex.getMessage(), ex);
        }
        final EndpointUri keys = EndpointUri.parse("aeron:?" + join(own)).withDefaults(defaults(uri));
        final String driver = keys.parameter("driver", "embedded").toLowerCase(Locale.ROOT);
        if (!driver.equals("embedded") && !driver.equals("external"))
        {
            throw new IllegalArgumentException("endpoint URI '" + text + "': driver='" + driver +
                "' is not embedded or external");
        }
        final long stream = number(text, keys, "stream", STREAM_DEFAULT);
        final String control = keys.parameter("archive-control", null);
        if (control != null && (control.lastIndexOf(':') <= 0 || !control.substring(control.lastIndexOf(':') + 1)
            .matches("[0-9]{1,5}")))
        {
            throw new IllegalArgumentException("endpoint URI '" + text + "': archive-control='" + control +
                "' is not host:port");
        }
        return new AeronEndpoint(
            text,
            aeronChannel,
            (int)stream,
            keys.parameter("codec", "utf8"),
            waitStrategy(text, keys.parameter("wait", "blocking")),
            driver.equals("external"),
            keys.parameter("dir", null),
            keys.duration("connect-timeout", CONNECT_TIMEOUT_DEFAULT),
            keys.flag("concurrent", false),
            keys.parameter("archive", null),
            control,
            keys.parameter("start", "start"),
            keys.parameter("name", null),
            keys.parameter("positions", null));
    }

    /**
     * Whether the channel is {@code aeron:ipc}.
     *
     * @return {@code true} for IPC.
     */
    public boolean isIpc()
    {
        return ChannelUri.parse(channel).isIpc();
    }

    private static Map<String, String> defaults(final EndpointUri uri)
    {
        final Map<String, String> defaults = new LinkedHashMap<>();
        for (final String key : new String[] {"codec", "wait"})
        {
            final String value = uri.parameters().get(key);
            if (value != null && !value.contains("|"))
            {
                defaults.put(key, value);
            }
        }
        return defaults;
    }

    private static String join(final Map<String, String> keys)
    {
        final StringBuilder query = new StringBuilder();
        keys.forEach((key, value) -> query.append(query.length() == 0 ? "" : "&").append(key).append('=')
            .append(value.replace("%", "%25").replace("&", "%26")));
        return query.toString();
    }

    private static long number(final String text, final EndpointUri keys, final String key, final long defaultValue)
    {
        final long value = keys.number(key, defaultValue);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("endpoint URI '" + text + "': " + key + "=" + value +
                " is not a 32-bit stream id");
        }
        return value;
    }

    private static WaitStrategy waitStrategy(final String text, final String value)
    {
        try
        {
            return WaitStrategy.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("endpoint URI '" + text + "': parameter wait='" + value +
                "' is not busy-spin, yielding, sleeping or blocking", ex);
        }
    }

    private static Set<String> aeronKeys()
    {
        final Set<String> keys = new TreeSet<>();
        for (final Field field : CommonContext.class.getFields())
        {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class &&
                field.getName().endsWith("_PARAM_NAME"))
            {
                try
                {
                    keys.add((String)field.get(null));
                }
                catch (final IllegalAccessException ex)
                {
                    throw new IllegalStateException("cannot read Aeron's " + field.getName(), ex);
                }
            }
        }
        return Set.copyOf(keys);
    }
}
