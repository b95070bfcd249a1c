package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Reply to getEphemerals (103).
 *
 * <p>Wire layout: {@code vector<ustring> ephemerals}.
 */
public record GetEphemeralsResponse(List<String> ephemerals) implements JuteRecord {

    public static GetEphemeralsResponse read(JuteInput in) {
        return new GetEphemeralsResponse(in.readStringList());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeStringList(out, ephemerals);
    }
}
