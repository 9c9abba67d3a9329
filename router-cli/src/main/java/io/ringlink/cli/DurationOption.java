package io.ringlink.cli;

import picocli.CommandLine;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations typed on the command line: {@code 250ms}, {@code 5s}, {@code 2m}, or a bare number of seconds.
 */
final class DurationOption implements CommandLine.ITypeConverter<Duration>
{
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    @Override
    public Duration convert(final String value)
    {
        final Matcher matcher = FORMAT.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches())
        {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 250ms, 5s or 2m");
        }
        final long amount = Long.parseLong(matcher.group(1));
        final String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        return switch (unit)
        {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
        };
    }
}
