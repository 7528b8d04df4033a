package dev.sodam.server.config;

/** A configuration problem; the message names the key (and the environment variable) at fault. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
