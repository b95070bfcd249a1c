package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Reply to getChildren (8).
 *
 * <p>Wire layout: {@code vector<ustring> children}.
 */
public record GetChildrenResponse(List<String> children) implements JuteRecord {

    public static GetChildrenResponse read(JuteInput in) {
        return new GetChildrenResponse(in.readStringList());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeStringList(out, children);
    }
}
