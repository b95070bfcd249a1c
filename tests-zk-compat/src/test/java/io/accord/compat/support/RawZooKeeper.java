package io.accord.compat.support;

import java.io.IOException;

import org.apache.jute.Record;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.RequestHeader;

/**
 * The real ZooKeeper client plus a way to send a request record as is, bypassing the client's own
 * path validation, for requests that only non-Java clients (or broken ones) send.
 */
@SuppressWarnings("try") // ZooKeeper.close() throws InterruptedException; that is the client's API, not ours
public final class RawZooKeeper extends ZooKeeper {

    public RawZooKeeper(String connectString, int sessionTimeout, Watcher watcher, ZKClientConfig config) throws IOException {
        super(connectString, sessionTimeout, watcher, config);
    }

    public RawZooKeeper(String connectString, int sessionTimeout, Watcher watcher, long sessionId, byte[] password)
        throws IOException {
        super(connectString, sessionTimeout, watcher, sessionId, password, false);
    }

    /**
     * Sends {@code request} with opcode {@code type} and reads the reply body into {@code response}
     * (only when the reply's err is 0). Returns the reply header: err and zxid.
     */
    public ReplyHeader submit(int type, Record request, Record response) throws InterruptedException {
        return cnxn.submitRequest(new RequestHeader(0, type), request, response, null);
    }
}
