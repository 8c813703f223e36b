package io.sextant.collector.api;

import io.sextant.collector.config.Units;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Parses time parameters: RFC 3339 ({@code 2026-11-27T18:00:00Z}), Unix seconds (decimals allowed),
 * {@code now}, or {@code now-<duration>} / {@code -<duration>} / {@code now+<duration>} relative to now; and steps as durations
 * with a unit ({@code 15s}) or plain seconds.
 */
public final class TimeParams
{
    private TimeParams()
    {
    }

    /**
     * @return Unix epoch milliseconds.
     */
    public static long time(final String parameter, final String value, final long nowMillis)
    {
        final String v = value.trim();
        if (v.equals("now"))
        {
            return nowMillis;
        }
        try
        {
            if (v.startsWith("now+"))
            {
                return nowMillis + Units.parseDuration(v.substring(4)).toMillis();
            }
            if (v.startsWith("now-"))
            {
                return nowMillis - Units.parseDuration(v.substring(4)).toMillis();
            }
            if (v.startsWith("-"))
            {
                return nowMillis - Units.parseDuration(v.substring(1)).toMillis();
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BadParameterException(parameter, ex.getMessage());
        }
        try
        {
            return Math.round(Double.parseDouble(v) * 1000.0);
        }
        catch (final NumberFormatException ignore)
        {
            // Not a number: try RFC 3339.
        }
        try
        {
            return OffsetDateTime.parse(v).toInstant().toEpochMilli();
        }
        catch (final DateTimeParseException ex)
        {
            try
            {
                return Instant.parse(v).toEpochMilli();
            }
            catch (final DateTimeParseException ex2)
            {
                throw new BadParameterException(parameter, "'" + value + "' is not a time: expected RFC 3339 " +
                    "(2026-11-27T18:00:00Z), Unix seconds (1795802400), now or now-1h");
            }
        }
    }

    /**
     * @return the step in milliseconds, positive.
     */
    public static long step(final String parameter, final String value)
    {
        final String v = value.trim();
        long millis;
        try
        {
            millis = Math.round(Double.parseDouble(v) * 1000.0);
        }
        catch (final NumberFormatException notNumber)
        {
            try
            {
                millis = Units.parseDuration(v).toMillis();
            }
            catch (final IllegalArgumentException ex)
            {
                throw new BadParameterException(parameter, ex.getMessage());
            }
        }
        if (millis <= 0)
        {
            throw new BadParameterException(parameter, "'" + value + "' must be a positive duration such as 15s");
        }
        return millis;
    }
}
