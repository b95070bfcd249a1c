package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.netty.buffer.ByteBuf;

/**
 * Reply to getAllChildrenNumber (104).
 *
 * <p>Wire layout: {@code int totalNumber}.
 */
public record GetAllChildrenNumberResponse(int totalNumber) implements JuteRecord {

    public static GetAllChildrenNumberResponse read(JuteInput in) {
        return new GetAllChildrenNumberResponse(in.readInt());
    }

    @Override
    public void write(ByteBuf out) {
        out.writeInt(totalNumber);
    }
}
