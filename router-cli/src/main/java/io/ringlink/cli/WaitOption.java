package io.ringlink.cli;

import io.ringlink.WaitStrategy;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * {@code --wait busy-spin|yielding|sleeping|blocking}: parses a {@link WaitStrategy} by its command-line name and
 * lists the names for help and shell completion.
 */
final class WaitOption implements CommandLine.ITypeConverter<WaitStrategy>, Iterable<String>
{
    static String nameOf(final WaitStrategy strategy)
    {
        return strategy.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public WaitStrategy convert(final String value)
    {
        for (final WaitStrategy strategy : WaitStrategy.values())
        {
            if (nameOf(strategy).equals(value.toLowerCase(Locale.ROOT)))
            {
                return strategy;
            }
        }
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a wait strategy; use one of " + String.join(", ", this));
    }

    @Override
    public Iterator<String> iterator()
    {
        final List<String> names = new ArrayList<>();
        for (final WaitStrategy strategy : WaitStrategy.values())
        {
            names.add(nameOf(strategy));
        }
        return names.iterator();
    }
}
