package io.ringlink.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a report (an ordered map of labels to numbers, texts, nested maps and lists) as an aligned table or as JSON,
 * labels turned into camelCase keys: {@code "first index"} becomes {@code "firstIndex"}.
 */
final class Report
{
    private Report()
    {
    }

    static String hex(final long value)
    {
        return "0x" + Long.toHexString(value);
    }

    static String table(final Map<String, Object> stat)
    {
        final StringBuilder out = new StringBuilder();
        int width = 0;
        for (final String label : stat.keySet())
        {
            width = Math.max(width, label.length());
        }
        final String format = "%-" + (width + 2) + "s%s%n";
        for (final Map.Entry<String, Object> entry : stat.entrySet())
        {
            if (entry.getValue() instanceof List<?> list)
            {
                out.append(String.format(format, entry.getKey(), list.size()));
                for (final Object item : list)
                {
                    out.append("  ");
                    for (final Map.Entry<?, ?> field : ((Map<?, ?>)item).entrySet())
                    {
                        out.append(field.getKey()).append(' ').append(text(field.getKey(), field.getValue()))
                            .append("  ");
                    }
                    out.setLength(out.length() - 2);
                    out.append(System.lineSeparator());
                }
            }
            else
            {
                out.append(String.format(format, entry.getKey(), text(entry.getKey(), entry.getValue())));
            }
        }
        return out.toString();
    }

    /** A count with thousands separators; an identifier (a pid) as it is, so it can be pasted into kill or ps. */
    private static String text(final Object label, final Object value)
    {
        if (value == null)
        {
            return "-";
        }
        final boolean identifier = label.toString().endsWith("pid");
        return value instanceof Long number && !identifier ? String.format(Locale.ROOT, "%,d", number) :
            value.toString();
    }

    static String json(final Map<String, Object> stat)
    {
        final StringBuilder out = new StringBuilder();
        appendJson(out, stat);
        return out.append(System.lineSeparator()).toString();
    }

    private static void appendJson(final StringBuilder out, final Object value)
    {
        if (value == null || value instanceof Number || value instanceof Boolean)
        {
            out.append(value);
        }
        else if (value instanceof Map<?, ?> map)
        {
            out.append('{');
            String separator = "";
            for (final Map.Entry<?, ?> entry : map.entrySet())
            {
                out.append(separator);
                appendString(out, camelCase(entry.getKey().toString()));
                out.append(": ");
                appendJson(out, entry.getValue());
                separator = ", ";
            }
            out.append('}');
        }
        else if (value instanceof List<?> list)
        {
            out.append('[');
            String separator = "";
            for (final Object item : list)
            {
                out.append(separator);
                appendJson(out, item);
                separator = ", ";
            }
            out.append(']');
        }
        else
        {
            appendString(out, value.toString());
        }
    }

    private static void appendString(final StringBuilder out, final String text)
    {
        out.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\')
            {
                out.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                out.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                out.append(c);
            }
        }
        out.append('"');
    }

    private static String camelCase(final String key)
    {
        final StringBuilder out = new StringBuilder(key.length());
        boolean upper = false;
        for (int i = 0; i < key.length(); i++)
        {
            final char c = key.charAt(i);
            if (c == ' ')
            {
                upper = true;
            }
            else
            {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
