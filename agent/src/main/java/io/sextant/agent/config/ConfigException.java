package io.sextant.agent.config;

/**
 * A configuration key or value was refused. The message is one line meant for stderr: it names
 * the key, where it came from, what was expected and, for an unknown key, the closest valid one.
 */
public final class ConfigException extends Exception
{
    private static final long serialVersionUID = 1L;

    public ConfigException(final String message)
    {
        super(message, null, false, false);
    }
}
