package io.accord.zk.proto;

import io.accord.zk.jute.JuteException;
import io.accord.zk.jute.JuteInput;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reply to whoAmI (107). Wire layout: {@code vector<ClientInfo{ustring authScheme, ustring user}>}. */
public record WhoAmIResponse(List<ClientInfo> clientInfo) implements JuteRecord {

    public static WhoAmIResponse read(JuteInput in) {
        int count = in.readInt();
        if (count < 0) {
            return new WhoAmIResponse(null);
        }
        if (count > in.readableBytes() / 8) {
            throw new JuteException("vector<ClientInfo> count: " + count + " (expected: <= "
                    + in.readableBytes() / 8 + ")");
        }
        List<ClientInfo> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(ClientInfo.read(in));
        }
        return new WhoAmIResponse(Collections.unmodifiableList(list));
    }

    @Override
    public void write(ByteBuf out) {
        if (clientInfo == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(clientInfo.size());
        for (ClientInfo info : clientInfo) {
            info.write(out);
        }
    }
}
