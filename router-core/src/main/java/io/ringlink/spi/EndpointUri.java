package io.ringlink.spi;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An endpoint URI: {@code scheme:path?key=value&key=value}, such as {@code ipc:/dev/shm/prices?capacity=1m} or
 * {@code file:///tmp/out.txt}. The lone {@code -} stands for standard input or output (scheme {@code "-"}).
 * <p>
 * Sizes take binary suffixes: {@code k}, {@code m}, {@code g} (so {@code capacity=1m} is 1 MiB). Durations take
 * {@code ms}, {@code s}, {@code m}, {@code h} suffixes, or a bare number of milliseconds.
 */
public final class EndpointUri
{
    private final String text;
    private final String scheme;
    private final String path;
    private final Map<String, String> parameters;
    /** The parameters written in the URI itself, not merged in by {@link #withDefaults(Map)}. */
    private final Set<String> written;

    private EndpointUri(
        final String text,
        final String scheme,
        final String path,
        final Map<String, String> params,
        final Set<String> written)
    {
        this.text = text;
        this.scheme = scheme;
        this.path = path;
        this.parameters = Collections.unmodifiableMap(params);
        this.written = written;
    }

    private EndpointUri(final String text, final String scheme, final String path, final Map<String, String> params)
    {
        this(text, scheme, path, params, Collections.unmodifiableSet(new TreeSet<>(params.keySet())));
    }

    /**
     * Parses a URI.
     *
     * @param text the URI.
     * @return the parsed URI.
     * @throws IllegalArgumentException if it has no scheme or a malformed parameter.
     */
    public static EndpointUri parse(final String text)
    {
        if (text == null || text.isBlank())
        {
            throw new IllegalArgumentException("endpoint URI must not be blank");
        }
        if (text.equals("-"))
        {
            return new EndpointUri(text, "-", "", new LinkedHashMap<>());
        }
        final int colon = text.indexOf(':');
        if (colon <= 0)
        {
            throw new IllegalArgumentException("endpoint URI '" + text + "' has no scheme (like file:, fifo:, ipc:)");
        }
        final String scheme = text.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = text.substring(colon + 1);
        final Map<String, String> params = new LinkedHashMap<>();
        final int question = rest.indexOf('?');
        if (question >= 0)
        {
            for (final String pair : rest.substring(question + 1).split("&"))
            {
                if (pair.isEmpty())
                {
                    continue;
                }
                final int equals = pair.indexOf('=');
                final String key = decode(equals < 0 ? pair : pair.substring(0, equals));
                final String value = equals < 0 ? "true" : decode(pair.substring(equals + 1));
                if (key.isEmpty())
                {
                    throw new IllegalArgumentException("endpoint URI '" + text + "' has a parameter without a name");
                }
                params.put(key, value);
            }
            rest = rest.substring(0, question);
        }
        if (rest.startsWith("//"))
        {
            final int slash = rest.indexOf('/', 2);
            final String authority = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
            if (!authority.isEmpty() && !authority.equals("localhost"))
            {
                throw new IllegalArgumentException("endpoint URI '" + text + "' names host '" + authority +
                    "'; only local endpoints are supported");
            }
            rest = slash < 0 ? "" : rest.substring(slash);
        }
        return new EndpointUri(text, scheme, decode(rest), params);
    }

    private static String decode(final String text)
    {
        return text.indexOf('%') < 0 ? text : URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /**
     * A copy with these parameters added where the URI does not set them itself.
     *
     * @param defaults parameters to add.
     * @return the new URI.
     */
    public EndpointUri withDefaults(final Map<String, String> defaults)
    {
        final Map<String, String> merged = new LinkedHashMap<>(defaults);
        merged.putAll(parameters);
        return new EndpointUri(text, scheme, path, merged, written);
    }

    /**
     * Refuses a parameter written in the URI that is not one of {@code known}: a misspelt {@code capacty=4m} must not
     * be ignored. Parameters merged in by {@link #withDefaults(Map)} are not checked (a linker's defaults cover every
     * scheme).
     *
     * @param known the parameters the scheme understands.
     * @return this URI.
     * @throws IllegalArgumentException naming the unknown parameter and the known ones.
     */
    public EndpointUri requireKnownParameters(final Set<String> known)
    {
        for (final String name : written)
        {
            if (!known.contains(name))
            {
                final String of = scheme.equals("-") ? "-" : scheme + ":";
                throw new IllegalArgumentException("endpoint URI '" + text + "': unknown parameter '" + name +
                    "' for " + of + "; known: " + String.join(", ", new TreeSet<>(known)));
            }
        }
        return this;
    }

    /**
     * The scheme, lower case, without the colon.
     *
     * @return the scheme.
     */
    public String scheme()
    {
        return scheme;
    }

    /**
     * Everything between the scheme and the query, decoded.
     *
     * @return the path, possibly empty.
     */
    public String path()
    {
        return path;
    }

    /**
     * The path as a file system path.
     *
     * @return the path.
     * @throws IllegalArgumentException if the path is empty.
     */
    public Path filePath()
    {
        if (path.isEmpty())
        {
            throw new IllegalArgumentException("endpoint URI '" + text + "' has no path");
        }
        return Path.of(path);
    }

    /**
     * All parameters, in the order given.
     *
     * @return an unmodifiable map.
     */
    public Map<String, String> parameters()
    {
        return parameters;
    }

    /**
     * A text parameter.
     *
     * @param name         the parameter.
     * @param defaultValue returned when it is absent.
     * @return the value.
     */
    public String parameter(final String name, final String defaultValue)
    {
        return parameters.getOrDefault(name, defaultValue);
    }

    /**
     * A boolean parameter: {@code true}/{@code false}/{@code yes}/{@code no}/{@code 1}/{@code 0}.
     *
     * @param name         the parameter.
     * @param defaultValue returned when it is absent.
     * @return the value.
     * @throws IllegalArgumentException if the value is none of those.
     */
    public boolean flag(final String name, final boolean defaultValue)
    {
        final String value = parameters.get(name);
        if (value == null)
        {
            return defaultValue;
        }
        return switch (value.toLowerCase(Locale.ROOT))
        {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw bad(name, value, "true or false");
        };
    }

    /**
     * A size parameter with an optional binary suffix: {@code 4096}, {@code 64k}, {@code 1m}, {@code 2g}.
     *
     * @param name         the parameter.
     * @param defaultValue returned when it is absent.
     * @return the size in bytes.
     * @throws IllegalArgumentException if malformed or negative.
     */
    public long size(final String name, final long defaultValue)
    {
        final String value = parameters.get(name);
        return value == null ? defaultValue : parseSize(name, value);
    }

    /**
     * Parses a size with an optional binary suffix ({@code k}, {@code m}, {@code g}, also {@code kb}/{@code kib}).
     *
     * @param name  what is parsed, for the message.
     * @param value the text.
     * @return the size in bytes.
     * @throws IllegalArgumentException if malformed, negative or too large.
     */
    public static long parseSize(final String name, final String value)
    {
        final String text = value.trim().toLowerCase(Locale.ROOT).replaceAll("i?b$", "");
        long multiplier = 1;
        String digits = text;
        if (!text.isEmpty())
        {
            final char last = text.charAt(text.length() - 1);
            final int shift = last == 'k' ? 10 : last == 'm' ? 20 : last == 'g' ? 30 : 0;
            if (shift > 0)
            {
                multiplier = 1L << shift;
                digits = text.substring(0, text.length() - 1);
            }
        }
        try
        {
            final long number = Long.parseLong(digits.trim());
            if (number < 0)
            {
                throw badSize(name, value, "a size that is not negative");
            }
            return Math.multiplyExact(number, multiplier);
        }
        catch (final NumberFormatException | ArithmeticException ex)
        {
            throw badSize(name, value, "a size like 4096, 64k, 1m or 2g");
        }
    }

    /**
     * A whole-number parameter.
     *
     * @param name         the parameter.
     * @param defaultValue returned when it is absent.
     * @return the value.
     * @throws IllegalArgumentException if malformed.
     */
    public long number(final String name, final long defaultValue)
    {
        final String value = parameters.get(name);
        if (value == null)
        {
            return defaultValue;
        }
        try
        {
            return Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw bad(name, value, "a whole number");
        }
    }

    /**
     * A duration parameter: {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, or a bare number of milliseconds.
     *
     * @param name         the parameter.
     * @param defaultValue returned when it is absent.
     * @return the duration.
     * @throws IllegalArgumentException if malformed or negative.
     */
    public Duration duration(final String name, final Duration defaultValue)
    {
        final String value = parameters.get(name);
        if (value == null)
        {
            return defaultValue;
        }
        final String text = value.trim().toLowerCase(Locale.ROOT);
        try
        {
            final Duration result;
            if (text.endsWith("ms"))
            {
                result = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            else if (text.endsWith("s"))
            {
                result = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            else if (text.endsWith("m"))
            {
                result = Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            else if (text.endsWith("h"))
            {
                result = Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            else
            {
                result = Duration.ofMillis(Long.parseLong(text));
            }
            if (result.isNegative())
            {
                throw bad(name, value, "a duration that is not negative");
            }
            return result;
        }
        catch (final NumberFormatException ex)
        {
            throw bad(name, value, "a duration like 250ms, 5s or 2m");
        }
        catch (final ArithmeticException ex)
        {
            // more minutes or hours than a Duration holds
            throw bad(name, value, "a duration that fits (at most " + Long.MAX_VALUE + "s)");
        }
    }

    private static IllegalArgumentException badSize(final String name, final String value, final String expected)
    {
        return new IllegalArgumentException(name + "='" + value + "' is not " + expected);
    }

    private IllegalArgumentException bad(final String name, final String value, final String expected)
    {
        return new IllegalArgumentException("endpoint URI '" + text + "': parameter " + name + "='" + value +
            "' is not " + expected);
    }

    @Override
    public String toString()
    {
        return text;
    }
}
