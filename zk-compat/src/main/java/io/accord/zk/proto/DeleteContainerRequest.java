package io.accord.zk.proto;

import io.accord.zk.jute.JuteInput;
import io.accord.zk.jute.JuteOutput;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Objects;

/**
 * deleteContainer (20): the path travels as a jute buffer (same bytes as a ustring).
 *
 * <p>Wire layout: {@code buffer path}.
 */
public record DeleteContainerRequest(byte[] path) implements JuteRecord {

    public static DeleteContainerRequest read(JuteInput in) {
        return new DeleteContainerRequest(in.readBuffer());
    }

    @Override
    public void write(ByteBuf out) {
        JuteOutput.writeBuffer(out, path);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DeleteContainerRequest o && Arrays.equals(path, o.path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(path));
    }

    @Override
    public String toString() {
        return "DeleteContainerRequest[" + "path=" + (path == null ? "null" : path.length + " bytes") + "]";
    }
}
