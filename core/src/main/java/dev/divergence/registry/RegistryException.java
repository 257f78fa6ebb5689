package dev.divergence.registry;

/** The registry could not list a package (not found, unreachable, malformed answer); the message says which. */
public final class RegistryException extends Exception {
    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }

    public RegistryException(String message) {
        super(message);
    }
}
