package io.accord.zk.proto;

import io.accord.zk.jute.JuteException;
import io.accord.zk.jute.JuteInput;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reply to multi (14) and multiRead (22): each result as {@code MultiHeader{type, done false, err}} + its body,
 * ended by {@code MultiHeader{-1, true, -1}}. Bodies by type: 1 {@link CreateResponse}, 15
 * {@link Create2Response}, 2 and 13 none, 5 {@link SetDataResponse}, 4 {@link GetDataResponse}, 8
 * {@link GetChildrenResponse}, -1 {@link ErrorResponse} (the error code appears twice).
 */
public record MultiResponse(List<Result> results) implements JuteRecord {

    /** One result; {@code body} null for delete and check. */
    public record Result(int type, int err, JuteRecord body) {
        public static Result error(int err) {
            return new Result(-1, err, new ErrorResponse(err));
        }
    }

    public static MultiResponse read(JuteInput in) {
        List<Result> results = new ArrayList<>();
        while (true) {
            MultiHeader header = MultiHeader.read(in);
            if (header.done()) {
                return new MultiResponse(Collections.unmodifiableList(results));
            }
            JuteRecord body = switch (header.type()) {
                case 1 -> CreateResponse.read(in);
                case 15 -> Create2Response.read(in);
                case 2, 13 -> null;
                case 5 -> SetDataResponse.read(in);
                case 4 -> GetDataResponse.read(in);
                case 8 -> GetChildrenResponse.read(in);
                case -1 -> ErrorResponse.read(in);
                default -> throw new JuteException("invalid type of result in multi: " + header.type());
            };
            results.add(new Result(header.type(), header.err(), body));
        }
    }

    @Override
    public void write(ByteBuf out) {
        for (Result result : results) {
            new MultiHeader(result.type(), false, result.err()).write(out);
            if (result.body() != null) {
                result.body().write(out);
            }
        }
        new MultiHeader(-1, true, -1).write(out);
    }
}
