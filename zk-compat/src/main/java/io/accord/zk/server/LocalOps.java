package io.accord.zk.server;

import io.accord.core.Replica;
import io.accord.core.acl.Id;
import io.accord.core.tree.Stat;
import io.accord.core.txn.ErrorCode;
import io.accord.core.txn.EventType;
import io.accord.core.txn.Result;
import io.accord.zk.proto.AddWatchRequest;
import io.accord.zk.proto.AuthPacket;
import io.accord.zk.proto.CheckWatchesRequest;
import io.accord.zk.proto.ClientInfo;
import io.accord.zk.proto.ClientRequest;
import io.accord.zk.proto.ErrorResponse;
import io.accord.zk.proto.ExistsRequest;
import io.accord.zk.proto.ExistsResponse;
import io.accord.zk.proto.GetACLRequest;
import io.accord.zk.proto.GetACLResponse;
import io.accord.zk.proto.GetAllChildrenNumberRequest;
import io.accord.zk.proto.GetAllChildrenNumberResponse;
import io.accord.zk.proto.GetChildren2Request;
import io.accord.zk.proto.GetChildren2Response;
import io.accord.zk.proto.GetChildrenRequest;
import io.accord.zk.proto.GetChildrenResponse;
import io.accord.zk.proto.GetDataRequest;
import io.accord.zk.proto.GetDataResponse;
import io.accord.zk.proto.GetEphemeralsRequest;
import io.accord.zk.proto.GetEphemeralsResponse;
import io.accord.zk.proto.JuteRecord;
import io.accord.zk.proto.MultiRequest;
import io.accord.zk.proto.MultiResponse;
import io.accord.zk.proto.OpCode;
import io.accord.zk.proto.RemoveWatchesRequest;
import io.accord.zk.proto.Reply;
import io.accord.zk.proto.SetSASLResponse;
import io.accord.zk.proto.SetWatches;
import io.accord.zk.proto.SetWatches2;
import io.accord.zk.proto.WhoAmIResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests a node answers itself, on the connection's event loop, once the session's earlier writes are applied:
 * reads from the local replica (with their watch registration inside the same {@code readLocked} section, and
 * the reply queued there too, so no change can slip between), ping, auth, sasl, the watch ops, whoAmI and
 * reconfig (disabled). Stateless.
 */
final class LocalOps {
    private static final int ADD_WATCH_PERSISTENT = 0;
    private static final int ADD_WATCH_PERSISTENT_RECURSIVE = 1;

    private LocalOps() {
    }

    static void execute(Connection c, ClientRequest request, long startNanos) {
        ServerNode node = c.node();
        Replica replica = node.replica;
        int xid = request.xid();
        JuteRecord body = request.body();
        switch (request.op()) {
            case PING -> c.reply(Reply.of(Reply.PING_XID, replica.lastZxid(), ErrorCode.OK), request, startNanos);
            case EXISTS -> {
                ExistsRequest r = (ExistsRequest) body;
                read(c, request, startNanos, r.path(), () -> {
                    Result result = replica.exists(r.path(), c.authIds());
                    if (r.watch() && (result.code() == ErrorCode.OK || result.code() == ErrorCode.NO_NODE)) {
                        node.watches.add(r.path(), c, WatchManager.DATA);
                    }
                    return result.code() == ErrorCode.OK ? new ExistsResponse(((Result.StatOnly) result).stat())
                            : result;
                });
            }
            case GET_DATA -> {
                GetDataRequest r = (GetDataRequest) body;
                read(c, request, startNanos, r.path(), () -> {
                    Result result = replica.getData(r.path(), c.authIds());
                    if (!(result instanceof Result.Data data)) {
                        return result;
                    }
                    if (r.watch()) {
                        node.watches.add(r.path(), c, WatchManager.DATA);
                    }
                    return new GetDataResponse(data.data(), data.stat());
                });
            }
            case GET_CHILDREN, GET_CHILDREN2 -> {
                boolean two = request.op() == OpCode.GET_CHILDREN2;
                String path = two ? ((GetChildren2Request) body).path() : ((GetChildrenRequest) body).path();
                boolean watch = two ? ((GetChildren2Request) body).watch() : ((GetChildrenRequest) body).watch();
                read(c, request, startNanos, path, () -> {
                    Result result = replica.getChildren(path, c.authIds());
                    if (!(result instanceof Result.Children children)) {
                        return result;
                    }
                    if (watch) {
                        node.watches.add(path, c, WatchManager.CHILD);
                    }
                    return two ? new GetChildren2Response(children.children(), children.stat())
                            : new GetChildrenResponse(children.children());
                });
            }
            case GET_ACL -> {
                String path = ((GetACLRequest) body).path();
                read(c, request, startNanos, path, () -> {
                    Result result = replica.getAcl(path, c.authIds());
                    return result instanceof Result.AclList list ? new GetACLResponse(list.acl(), list.stat())
                            : result;
                });
            }
            case GET_EPHEMERALS -> {
                String prefix = ((GetEphemeralsRequest) body).prefixPath();
                read(c, request, startNanos, "/", () -> {
                    Result result = replica.getEphemerals(c.sessionId(), prefix);
                    return result instanceof Result.Paths paths ? new GetEphemeralsResponse(paths.paths()) : result;
                });
            }
            case GET_ALL_CHILDREN_NUMBER -> {
                String path = ((GetAllChildrenNumberRequest) body).path();
                read(c, request, startNanos, path, () -> {
                    Result result = replica.getAllChildrenNumber(path, c.authIds());
                    return result instanceof Result.Count count ? new GetAllChildrenNumberResponse(count.count())
                            : result;
                });
            }
            case MULTI_READ -> multiRead(c, request, startNanos);
            case AUTH -> auth(c, request, startNanos);
            case SASL -> c.reply(Reply.of(xid, 0, new SetSASLResponse(null)), request, startNanos);
            case SET_WATCHES -> {
                SetWatches r = (SetWatches) body;
                setWatches(c, request, startNanos, r.relativeZxid(), r.dataWatches(), r.existWatches(),
                        r.childWatches(), null, null);
            }
            case SET_WATCHES2 -> {
                SetWatches2 r = (SetWatches2) body;
                setWatches(c, request, startNanos, r.relativeZxid(), r.dataWatches(), r.existWatches(),
                        r.childWatches(), r.persistentWatches(), r.persistentRecursiveWatches());
            }
            case ADD_WATCH -> {
                AddWatchRequest r = (AddWatchRequest) body;
                int bits = switch (r.mode()) {
                    case ADD_WATCH_PERSISTENT -> WatchManager.PERSISTENT;
                    case ADD_WATCH_PERSISTENT_RECURSIVE -> WatchManager.RECURSIVE;
                    default -> 0;
                };
                if (bits == 0) {
                    c.reply(Reply.of(xid, replica.lastZxid(), ErrorCode.MARSHALLING_ERROR), request, startNanos);
                } else if (r.path() == null) {
                    c.reply(Reply.of(xid, replica.lastZxid(), ErrorCode.BAD_ARGUMENTS), request, startNanos);
                } else {
                    replica.readLocked(() -> {
                        node.watches.add(r.path(), c, bits);
                        c.reply(Reply.of(xid, replica.lastZxid(), new ErrorResponse(0)), request, startNanos);
                        return null;
                    });
                }
            }
            case CHECK_WATCHES -> {
                CheckWatchesRequest r = (CheckWatchesRequest) body;
                int code = !WatchManager.isWatcherType(r.type()) ? ErrorCode.MARSHALLING_ERROR
                        : node.watches.contains(r.path(), c, r.type()) ? ErrorCode.OK : ErrorCode.NO_WATCHER;
                c.reply(Reply.of(xid, replica.lastZxid(), code), request, startNanos);
            }
            case REMOVE_WATCHES -> {
                RemoveWatchesRequest r = (RemoveWatchesRequest) body;
                int code = !WatchManager.isWatcherType(r.type()) ? ErrorCode.MARSHALLING_ERROR
                        : node.watches.remove(r.path(), c, r.type()) ? ErrorCode.OK : ErrorCode.NO_WATCHER;
                c.reply(Reply.of(xid, replica.lastZxid(), code), request, startNanos);
            }
            case WHO_AM_I -> {
                List<ClientInfo> infos = new ArrayList<>();
                for (Id id : c.authIds()) {
                    infos.add(new ClientInfo(id.scheme(), Auth.user(id)));
                }
                c.reply(Reply.of(xid, replica.lastZxid(), new WhoAmIResponse(infos)), request, startNanos);
            }
            case RECONFIG -> c.reply(Reply.of(xid, replica.lastZxid(), ErrorCode.RECONFIG_DISABLED), request,
                    startNanos);
            default -> throw new IllegalStateException("not a local op: " + request.op());
        }
    }

    /** A body-returning read: a {@link JuteRecord} answers OK, a {@link Result} answers its error code. */
    private interface Read {
        Object run();
    }

    private static void read(Connection c, ClientRequest request, long startNanos, String path, Read read) {
        Replica replica = c.node().replica;
        if (path == null) {
            c.reply(Reply.of(request.xid(), replica.lastZxid(), ErrorCode.BAD_ARGUMENTS), request, startNanos);
            return;
        }
        replica.readLocked(() -> {
            Object outcome = read.run();
            long zxid = replica.lastZxid();
            Reply reply = outcome instanceof JuteRecord record ? Reply.of(request.xid(), zxid, record)
                    : Reply.of(request.xid(), zxid, ((Result) outcome).code());
            c.reply(reply, request, startNanos);
            return null;
        });
    }

    private static void multiRead(Connection c, ClientRequest request, long startNanos) {
        Replica replica = c.node().replica;
        List<MultiRequest.Op> ops = ((MultiRequest) request.body()).ops();
        for (MultiRequest.Op op : ops) {
            if (!op.type().allowedInMultiRead()) {
                c.reply(Reply.of(request.xid(), replica.lastZxid(), ErrorCode.MARSHALLING_ERROR), request,
                        startNanos);
                return;
            }
        }
        replica.readLocked(() -> {
            List<MultiResponse.Result> results = new ArrayList<>(ops.size());
            for (MultiRequest.Op op : ops) {
                boolean data = op.type() == OpCode.GET_DATA;
                String path = data ? ((GetDataRequest) op.request()).path() : ((GetChildrenRequest) op.request()).path();
                if (path == null) {
                    results.add(MultiResponse.Result.error(ErrorCode.BAD_ARGUMENTS));
                    continue;
                }
                Result r = data ? replica.getData(path, c.authIds()) : replica.getChildren(path, c.authIds());
                if (r instanceof Result.Data d) {
                    results.add(new MultiResponse.Result(4, 0, new GetDataResponse(d.data(), d.stat())));
                } else if (r instanceof Result.Children ch) {
                    results.add(new MultiResponse.Result(8, 0, new GetChildrenResponse(ch.children())));
                } else {
                    results.add(MultiResponse.Result.error(r.code()));
                }
            }
            c.reply(Reply.of(request.xid(), replica.lastZxid(), new MultiResponse(results)), request, startNanos);
            return null;
        });
    }

    private static void auth(Connection c, ClientRequest request, long startNanos) {
        AuthPacket packet = (AuthPacket) request.body();
        ServerNode node = c.node();
        List<Id> added = Auth.authenticate(packet.scheme(), packet.auth(), c.remoteIp(), node.config.superDigest());
        if (added == null) {
            node.stats.authFailed();
            c.logClose("auth with unknown scheme '" + packet.scheme() + "'");
            c.reply(Reply.of(request.xid(), 0, ErrorCode.AUTH_FAILED), request, startNanos);
            c.closeAfterQueued();
            return;
        }
        c.addAuthIds(added);
        c.reply(Reply.of(request.xid(), 0, ErrorCode.OK), request, startNanos);
    }

    /** setWatches / setWatches2: catch-up events (zxid -1, no ACL filter) for what changed, else re-register. */
    private static void setWatches(Connection c, ClientRequest request, long startNanos, long relativeZxid,
                                   List<String> data, List<String> exist, List<String> child,
                                   List<String> persistent, List<String> recursive) {
        ServerNode node = c.node();
        Replica replica = node.replica;
        replica.readLocked(() -> {
            for (String path : nonNull(data)) {
                Stat stat = replica.statOf(path);
                if (stat == null) {
                    c.enqueueEvent(Reply.notification(-1, EventType.NODE_DELETED.code(), path));
                } else if (stat.mzxid() > relativeZxid) {
                    c.enqueueEvent(Reply.notification(-1, EventType.NODE_DATA_CHANGED.code(), path));
                } else {
                    node.watches.add(path, c, WatchManager.DATA);
                }
            }
            for (String path : nonNull(exist)) {
                if (replica.statOf(path) != null) {
                    c.enqueueEvent(Reply.notification(-1, EventType.NODE_CREATED.code(), path));
                } else {
                    node.watches.add(path, c, WatchManager.DATA);
                }
            }
            for (String path : nonNull(child)) {
                Stat stat = replica.statOf(path);
                if (stat == null) {
                    c.enqueueEvent(Reply.notification(-1, EventType.NODE_DELETED.code(), path));
                } else if (stat.pzxid() > relativeZxid) {
                    c.enqueueEvent(Reply.notification(-1, EventType.NODE_CHILDREN_CHANGED.code(), path));
                } else {
                    node.watches.add(path, c, WatchManager.CHILD);
                }
            }
            for (String path : nonNull(persistent)) {
                node.watches.add(path, c, WatchManager.PERSISTENT);
            }
            for (String path : nonNull(recursive)) {
                node.watches.add(path, c, WatchManager.RECURSIVE);
            }
            c.reply(Reply.of(request.xid(), replica.lastZxid(), ErrorCode.OK), request, startNanos);
            return null;
        });
    }

    private static List<String> nonNull(List<String> paths) {
        if (paths == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(paths.size());
        for (String p : paths) {
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }
}
