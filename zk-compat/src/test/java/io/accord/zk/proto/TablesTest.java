package io.accord.zk.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.Test;

/** The opcode and error tables against the real client's constants. */
class TablesTest {

    @Test
    void everyOpcodeHasZooKeepersValue() throws Exception {
        Map<String, Integer> zk = new HashMap<>();
        for (Field f : ZooDefs.OpCode.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                zk.put(f.getName().toLowerCase(java.util.Locale.ROOT), f.getInt(null));
            }
        }
        for (OpCode op : OpCode.values()) {
            String name = op.name().replace("_", "").toLowerCase(java.util.Locale.ROOT);
            assertEquals(zk.get(name), op.code(), op.name());
            assertSame(op, OpCode.of(op.code()));
        }
    }

    @Test
    void codesThatAreNotClientRequestsAreUnknown() {
        for (int code : new int[] {ZooDefs.OpCode.notification, ZooDefs.OpCode.error,
                10, 23, 99, 108, 1000, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertNull(OpCode.of(code), Integer.toString(code));
        }
    }

    @Test
    void everyErrorCodeHasZooKeepersValue() {
        for (Code code : Code.values()) {
            assertEquals(KeeperException.Code.valueOf(code.name()).intValue(), code.value(), code.name());
            assertSame(code, Code.of(code.value()));
        }
        for (KeeperException.Code zk : KeeperException.Code.values()) {
            Code mine = Code.of(zk.intValue());
            assertEquals(zk.name(), mine == null ? "missing " + zk.intValue() : mine.name());
        }
        assertNull(Code.of(-126));
        assertNull(Code.of(1));
    }
}
