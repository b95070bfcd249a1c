package io.accord.zk.proto;

import io.accord.zk.jute.JuteException;
import io.accord.zk.jute.JuteInput;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * multi (14) and multiRead (22), ZooKeeper's {@code MultiOperationRecord}: no count prefix, each op as
 * {@code MultiHeader{type, done false, err -1}} + its request record, ended by {@code MultiHeader{-1, true, -1}}.
 * An op type that may not appear in either kind of multi makes the record unreadable (MARSHALLINGERROR); whether
 * the ops fit the opcode (writes in 14, reads in 22) is for the server to check.
 */
public record MultiRequest(List<Op> ops) implements JuteRecord {

    /** One op of a multi. */
    public record Op(OpCode type, JuteRecord request) {
    }

    public static MultiRequest read(JuteInput in) {
        List<Op> ops = new ArrayList<>();
        while (true) {
            MultiHeader header = MultiHeader.read(in);
            if (header.done()) {
                return new MultiRequest(Collections.unmodifiableList(ops));
            }
            OpCode type = OpCode.of(header.type());
            if (type == null || !(type.allowedInMulti() || type.allowedInMultiRead())) {
                throw new JuteException("invalid type of op in multi: " + header.type());
            }
            ops.add(new Op(type, type.readBody(in)));
        }
    }

    @Override
    public void write(ByteBuf out) {
        for (Op op : ops) {
            new MultiHeader(op.type().code(), false, -1).write(out);
            op.request().write(out);
        }
        new MultiHeader(-1, true, -1).write(out);
    }
}
