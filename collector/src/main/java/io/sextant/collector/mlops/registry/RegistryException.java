package io.sextant.collector.mlops.registry;

/** A registry operation that is refused (unknown version, conflicting hash, nothing to roll back to). */
public final class RegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RegistryException(String message) {
        super(message);
    }
}
