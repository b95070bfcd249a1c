package io.accord.tools.config;

/** A configuration that Accord cannot run with; the message says which key, what it held, and what is expected. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
