package io.sextant.collector.api;

/**
 * An API error with an HTTP status and an error type for the envelope ({@code not_found},
 * {@code conflict}, {@code unavailable}, ...).
 */
public final class ApiException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;

    public ApiException(final int status, final String type, final String message)
    {
        super(message);
        this.status = status;
        this.type = type;
    }

    public static ApiException notFound(final String message)
    {
        return new ApiException(404, "not_found", message);
    }

    public int status()
    {
        return status;
    }

    public String type()
    {
        return type;
    }
}
