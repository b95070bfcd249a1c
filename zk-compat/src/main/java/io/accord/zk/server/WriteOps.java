package io.accord.zk.server;

import io.accord.core.acl.Acl;
import io.accord.core.txn.Applied;
import io.accord.core.txn.ErrorCode;
import io.accord.core.txn.Op;
import io.accord.core.txn.Result;
import io.accord.zk.proto.CheckVersionRequest;
import io.accord.zk.proto.ClientRequest;
import io.accord.zk.proto.Create2Response;
import io.accord.zk.proto.CreateRequest;
import io.accord.zk.proto.CreateResponse;
import io.accord.zk.proto.CreateTTLRequest;
import io.accord.zk.proto.DeleteContainerRequest;
import io.accord.zk.proto.DeleteRequest;
import io.accord.zk.proto.JuteRecord;
import io.accord.zk.proto.MultiRequest;
import io.accord.zk.proto.MultiResponse;
import io.accord.zk.proto.OpCode;
import io.accord.zk.proto.Reply;
import io.accord.zk.proto.SetACLRequest;
import io.accord.zk.proto.SetACLResponse;
import io.accord.zk.proto.SetDataRequest;
import io.accord.zk.proto.SetDataResponse;
import io.accord.zk.proto.SyncRequest;
import io.accord.zk.proto.SyncResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The write path's two translations: a client request into the {@link Op} the log carries, and an
 * {@link Applied} result back into the reply ZooKeeper would send (PROTOCOL.md 3.1, 5). Stateless.
 */
final class WriteOps {

    /** A write refused before it reaches the log; answered with {@code code} in order. */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        Rejected(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    private WriteOps() {
    }

    /** The log op for a write request (any op with {@link OpCode#isWrite()} except standalone check). */
    static Op toOp(ClientRequest request) throws Rejected {
        return toOp(request.op(), request.body());
    }

    private static Op toOp(OpCode code, JuteRecord body) throws Rejected {
        return switch (code) {
            case CREATE, CREATE2, CREATE_CONTAINER -> {
                CreateRequest r = (CreateRequest) body;
                yield new Op.Create(code.code(), path(r.path()), r.data(), acl(r.acl()), r.flags(), -1);
            }
            case CREATE_TTL -> {
                CreateTTLRequest r = (CreateTTLRequest) body;
                yield new Op.Create(code.code(), path(r.path()), r.data(), acl(r.acl()), r.flags(), r.ttl());
            }
            case DELETE -> {
                DeleteRequest r = (DeleteRequest) body;
                yield new Op.Delete(path(r.path()), r.version());
            }
            case SET_DATA -> {
                SetDataRequest r = (SetDataRequest) body;
                yield new Op.SetData(path(r.path()), r.data(), r.version());
            }
            case SET_ACL -> {
                SetACLRequest r = (SetACLRequest) body;
                yield new Op.SetAcl(path(r.path()), acl(r.acl()), r.version());
            }
            case CHECK -> {
                CheckVersionRequest r = (CheckVersionRequest) body;
                yield new Op.Check(path(r.path()), r.version());
            }
            case DELETE_CONTAINER -> {
                byte[] raw = ((DeleteContainerRequest) body).path();
                yield new Op.DeleteContainer(path(raw == null ? null : new String(raw, StandardCharsets.UTF_8)));
            }
            case SYNC -> {
                String path = ((SyncRequest) body).path();
                yield new Op.Sync(path == null ? "" : path);
            }
            case CLOSE_SESSION -> new Op.CloseSession();
            // A client-sent createSession changes nothing in ZooKeeper but uses a zxid: a multi without an op
            // list is that transaction (MARSHALLINGERROR, no change, one zxid).
            case CREATE_SESSION -> new Op.Multi(null);
            case MULTI -> {
                List<MultiRequest.Op> ops = ((MultiRequest) body).ops();
                List<Op> converted = new ArrayList<>(ops.size());
                for (MultiRequest.Op op : ops) {
                    if (!op.type().allowedInMulti()) {
                        throw new Rejected(ErrorCode.MARSHALLING_ERROR);
                    }
                    converted.add(toOp(op.type(), op.request()));
                }
                yield new Op.Multi(List.copyOf(converted));
            }
            default -> throw new Rejected(ErrorCode.MARSHALLING_ERROR);
        };
    }

    private static String path(String path) throws Rejected {
        if (path == null) {
            throw new Rejected(ErrorCode.BAD_ARGUMENTS);
        }
        return path;
    }

    private static List<Acl> acl(List<Acl> acl) throws Rejected {
        if (acl == null) {
            throw new Rejected(ErrorCode.INVALID_ACL);
        }
        return acl;
    }

    /** The reply to a write this node submitted, from what applying it did. */
    static Reply reply(ClientRequest request, Applied applied) {
        int xid = request.xid();
        long zxid = applied.zxid();
        Result result = applied.result();
        if (result.code() != ErrorCode.OK) {
            return Reply.of(xid, zxid, result.code());
        }
        JuteRecord body = switch (request.op()) {
            case CREATE -> new CreateResponse(((Result.Created) result).path());
            case CREATE2, CREATE_CONTAINER, CREATE_TTL -> {
                Result.Created created = (Result.Created) result;
                yield new Create2Response(created.path(), created.stat());
            }
            case SET_DATA -> new SetDataResponse(((Result.StatOnly) result).stat());
            case SET_ACL -> new SetACLResponse(((Result.StatOnly) result).stat());
            case SYNC -> new SyncResponse(((SyncRequest) request.body()).path());
            case MULTI -> multi((MultiRequest) request.body(), (Result.Multi) result);
            default -> null;
        };
        return body == null ? Reply.of(xid, zxid, ErrorCode.OK) : Reply.of(xid, zxid, body);
    }

    private static MultiResponse multi(MultiRequest request, Result.Multi multi) {
        List<MultiResponse.Result> results = new ArrayList<>(multi.results().size());
        for (int i = 0; i < multi.results().size(); i++) {
            Result r = multi.results().get(i);
            if (multi.failed() || r.code() != ErrorCode.OK) {
                results.add(MultiResponse.Result.error(r.code()));
                continue;
            }
            OpCode type = request.ops().get(i).type();
            results.add(switch (type) {
                case CREATE -> new MultiResponse.Result(1, 0, new CreateResponse(((Result.Created) r).path()));
                case CREATE2, CREATE_CONTAINER, CREATE_TTL -> new MultiResponse.Result(15, 0,
                        new Create2Response(((Result.Created) r).path(), ((Result.Created) r).stat()));
                case SET_DATA -> new MultiResponse.Result(5, 0, new SetDataResponse(((Result.StatOnly) r).stat()));
                default -> new MultiResponse.Result(type.code(), 0, null);
            });
        }
        return new MultiResponse(results);
    }
}
