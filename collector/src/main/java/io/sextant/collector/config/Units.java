package io.sextant.collector.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Parses durations ({@code 250ms}, {@code 15s}, {@code 5m}, {@code 2h}, {@code 7d}) and sizes
 * ({@code 64MiB}, {@code 10GB}). A bare number is refused: a unit is always required.
 */
public final class Units
{
    private Units()
    {
    }

    /**
     * @param text a duration such as {@code 15s}.
     * @return the duration.
     * @throws IllegalArgumentException saying what was expected.
     */
    public static Duration parseDuration(final String text)
    {
        final String t = text.trim();
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.'))
        {
            i++;
        }
        if (i == 0)
        {
            throw new IllegalArgumentException("'" + text + "' is not a duration: expected a number and a unit " +
                "(ms, s, m, h, d), for example 250ms, 15s or 7d");
        }
        final String unit = t.substring(i).trim();
        if (unit.isEmpty())
        {
            throw new IllegalArgumentException("'" + text + "' has no unit: write for example " + t + "s or " + t +
                "ms (units: ms, s, m, h, d)");
        }
        final double number;
        try
        {
            number = Double.parseDouble(t.substring(0, i));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("'" + text + "' is not a duration: bad number");
        }
        final double millis;
        switch (unit)
        {
            case "ms": millis = number; break;
            case "s": millis = number * 1_000; break;
            case "m": millis = number * 60_000; break;
            case "h": millis = number * 3_600_000; break;
            case "d": millis = number * 86_400_000; break;
            default:
                throw new IllegalArgumentException("'" + text + "' has unknown unit '" + unit +
                    "': expected ms, s, m, h or d");
        }
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }

    /**
     * @param text a size such as {@code 64MiB}.
     * @return the size in bytes.
     * @throws IllegalArgumentException saying what was expected.
     */
    public static long parseSize(final String text)
    {
        final String t = text.trim();
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.'))
        {
            i++;
        }
        if (i == 0)
        {
            throw new IllegalArgumentException("'" + text + "' is not a size: expected a number and a unit " +
                "(B, KiB, MiB, GiB, TiB, KB, MB, GB, TB), for example 64MiB");
        }
        final String unit = t.substring(i).trim();
        if (unit.isEmpty())
        {
            throw new IllegalArgumentException("'" + text + "' has no unit: write for example " + t + "MiB or " + t +
                "B (units: B, KiB, MiB, GiB, TiB, KB, MB, GB, TB)");
        }
        final double number = Double.parseDouble(t.substring(0, i));
        final double factor;
        switch (unit.toLowerCase(Locale.ROOT))
        {
            case "b": factor = 1; break;
            case "kib": factor = 1L << 10; break;
            case "mib": factor = 1L << 20; break;
            case "gib": factor = 1L << 30; break;
            case "tib": factor = 1L << 40; break;
            case "kb": factor = 1e3; break;
            case "mb": factor = 1e6; break;
            case "gb": factor = 1e9; break;
            case "tb": factor = 1e12; break;
            default:
                throw new IllegalArgumentException("'" + text + "' has unknown unit '" + unit +
                    "': expected B, KiB, MiB, GiB, TiB, KB, MB, GB or TB");
        }
        return Math.round(number * factor);
    }
}
