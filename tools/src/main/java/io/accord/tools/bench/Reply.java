package io.accord.tools.bench;

import io.accord.zk.jute.JuteInput;
import io.netty.buffer.Unpooled;

/** A reply to a setup or cleanup request (not to the load): its error code and body. */
record Reply(int err, byte[] body) {

    JuteInput input() {
        return new JuteInput(Unpooled.wrappedBuffer(body), body.length);
    }
}
