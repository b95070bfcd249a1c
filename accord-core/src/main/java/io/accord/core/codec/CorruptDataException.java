package io.accord.core.codec;

/**
 * The one exception of Accord's binary codecs: a log entry, snapshot or checkpoint record that is truncated,
 * corrupt (CRC mismatch), of an unknown template or type, of an unsupported version, or whose lengths exceed the
 * limits. The message names what is wrong and what was expected, in the form
 * {@code "entry length: 70 (expected: >= 96)"}. Thrown before anything decoded is handed on, so nothing half-read
 * is ever applied.
 */
public final class CorruptDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptDataException(String message) {
        super(message);
    }

    public CorruptDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
