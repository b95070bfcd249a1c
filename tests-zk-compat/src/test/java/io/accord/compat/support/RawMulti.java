package io.accord.compat.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.jute.InputArchive;
import org.apache.jute.OutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.proto.MultiHeader;

/**
 * A multi / multiRead request body built op by op, without the client's checks (it refuses to mix
 * reads and writes): {@code MultiHeader{type, false, -1}} + record per op, then {@code {-1, true, -1}}.
 */
public final class RawMulti implements Record {

    private final List<Integer> types = new ArrayList<>();
    private final List<Record> records = new ArrayList<>();

    public RawMulti add(int type, Record record) {
        types.add(type);
        records.add(record);
        return this;
    }

    @Override
    public void serialize(OutputArchive archive, String tag) throws IOException {
        archive.startRecord(this, tag);
        for (int i = 0; i < types.size(); i++) {
            new MultiHeader(types.get(i), false, -1).serialize(archive, tag);
            records.get(i).serialize(archive, tag);
        }
        new MultiHeader(-1, true, -1).serialize(archive, tag);
        archive.endRecord(this, tag);
    }

    @Override
    public void deserialize(InputArchive archive, String tag) throws java.io.IOException {
        throw new java.io.IOException("RawMulti is only ever sent; the reply is read as a MultiResponse");
    }
}
