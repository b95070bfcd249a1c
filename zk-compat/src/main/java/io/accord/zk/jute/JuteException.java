package io.accord.zk.jute;

import io.netty.handler.codec.DecoderException;

/** A jute record could not be read: truncated, a length out of bounds, or a value outside its domain. */
public final class JuteException extends DecoderException {
    private static final long serialVersionUID = 1L;

    public JuteException(String message) {
        super(message);
    }
}
