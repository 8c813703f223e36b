package io.sextant.collector.api;

/**
 * A query parameter is missing or wrong; becomes HTTP 400 naming the parameter and the reason.
 */
public final class BadParameterException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String parameter;

    public BadParameterException(final String parameter, final String reason)
    {
        super("parameter '" + parameter + "': " + reason);
        this.parameter = parameter;
    }

    public String parameter()
    {
        return parameter;
    }
}
