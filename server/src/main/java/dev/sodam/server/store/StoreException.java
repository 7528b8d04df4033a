package dev.sodam.server.store;

/** A storage failure (I/O, constraint, corrupt row). */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
