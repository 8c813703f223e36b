package io.sextant.collector.config;

/**
 * A configuration value or key is wrong; the message names the key and says what was expected.
 */
public final class ConfigException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public ConfigException(final String message)
    {
        super(message);
    }
}
