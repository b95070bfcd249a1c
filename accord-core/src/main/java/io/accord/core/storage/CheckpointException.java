package io.accord.core.storage;

/**
 * A checkpoint store could not open, read or write: the disk is full, the files are damaged, the store was
 * written by another format version, or the engine failed. The message says which store and what to do.
 */
public class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
