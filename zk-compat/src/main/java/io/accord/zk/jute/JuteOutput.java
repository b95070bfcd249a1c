package io.accord.zk.jute;

import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.core.tree.Stat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.List;

/**
 * Writes jute primitives ({@code BinaryOutputArchive}) to a {@link ByteBuf}; see {@link JuteInput} for the layout.
 * Stateless.
 */
public final class JuteOutput {

    /** Size of a {@link Stat} on the wire. */
    public static final int STAT_BYTES = 68;

    private JuteOutput() {
    }

    public static void writeBool(ByteBuf out, boolean value) {
        out.writeByte(value ? 1 : 0);
    }

    public static void writeBuffer(ByteBuf out, byte[] bytes) {
        if (bytes == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(bytes.length);
            out.writeBytes(bytes);
        }
    }

    public static void writeString(ByteBuf out, String s) {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        int written = ByteBufUtil.writeUtf8(out, s);
        out.setInt(lengthIndex, written);
    }

    public static void writeStringList(ByteBuf out, List<String> list) {
        if (list == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(list.size());
        for (String s : list) {
            writeString(out, s);
        }
    }

    public static void writeId(ByteBuf out, Id id) {
        writeString(out, id.scheme());
        writeString(out, id.id());
    }

    public static void writeAclList(ByteBuf out, List<Acl> acl) {
        if (acl == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(acl.size());
        for (Acl entry : acl) {
            out.writeInt(entry.perms());
            writeId(out, entry.id());
        }
    }

    /**
     * <pre>
     *   0 czxid  8 mzxid  16 ctime  24 mtime  32 version  36 cversion  40 aversion
     *  44 ephemeralOwner  52 dataLength  56 numChildren  60 pzxid   (68 bytes)
     * </pre>
     */
    public static void writeStat(ByteBuf out, Stat stat) {
        out.writeLong(stat.czxid());
        out.writeLong(stat.mzxid());
        out.writeLong(stat.ctime());
        out.writeLong(stat.mtime());
        out.writeInt(stat.version());
        out.writeInt(stat.cversion());
        out.writeInt(stat.aversion());
        out.writeLong(stat.ephemeralOwner());
        out.writeInt(stat.dataLength());
        out.writeInt(stat.numChildren());
        out.writeLong(stat.pzxid());
    }

}
