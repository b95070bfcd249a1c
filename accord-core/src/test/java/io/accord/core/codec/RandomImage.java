package io.accord.core.codec;

import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.core.image.AclImage;
import io.accord.core.image.ImageSink;
import io.accord.core.image.MetaImage;
import io.accord.core.image.NodeImage;
import io.accord.core.image.SessionImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/** A seeded random image (meta, ACLs, a tree with parents before children, sessions) as lists of records. */
public final class RandomImage {
    public final MetaImage meta;
    public final List<AclImage> acls = new ArrayList<>();
    public final List<NodeImage> nodes = new ArrayList<>();
    public final List<SessionImage> sessions = new ArrayList<>();

    public RandomImage(long seed, int nodeCount) {
        Random rnd = new Random(seed);
        TreeMap<Integer, Long> seq = new TreeMap<>();
        for (int i = 1; i <= 3; i++) {
            seq.put(i, rnd.nextLong() & Long.MAX_VALUE);
        }
        meta = new MetaImage(1000 + rnd.nextInt(1000), rnd.nextInt(1 << 20), rnd.nextLong(), rnd.nextLong(),
                rnd.nextLong(), seq);
        acls.add(new AclImage(1, Acl.OPEN_ACL_UNSAFE));
        acls.add(new AclImage(2, Acl.READ_ACL_UNSAFE));
        acls.add(new AclImage(-7, List.of(new Acl(31, new Id("digest", "u:p=")), new Acl(1, new Id("ip", "1.2.3.4")))));
        List<String> paths = new ArrayList<>();
        paths.add("/");
        nodes.add(node(rnd, "/"));
        for (int i = 1; i < nodeCount; i++) {
            String parent = paths.get(rnd.nextInt(Math.min(paths.size(), 50)));
            String name = switch (rnd.nextInt(5)) {
                case 0 -> "seq-" + String.format("%010d", i);
                case 1 -> "ñ" + i;
                default -> "n" + i;
            };
            String path = parent.equals("/") ? "/" + name : parent + "/" + name;
            paths.add(path);
            nodes.add(node(rnd, path));
        }
        for (int i = 0; i < 5; i++) {
            byte[] pw = new byte[16];
            rnd.nextBytes(pw);
            sessions.add(new SessionImage(rnd.nextLong(), 1000 + rnd.nextInt(30_000), i == 0 ? null : pw, 1 + rnd.nextInt(3),
                    rnd.nextLong()));
        }
    }

    private NodeImage node(Random rnd, String path) {
        byte[] data = switch (rnd.nextInt(4)) {
            case 0 -> null;
            case 1 -> new byte[0];
            default -> {
                byte[] b = new byte[rnd.nextInt(rnd.nextInt(50) == 0 ? 5000 : 20)];
                rnd.nextBytes(b);
                yield b;
            }
        };
        long owner = switch (rnd.nextInt(6)) {
            case 0 -> rnd.nextLong();
            case 1 -> Long.MIN_VALUE;
            case 2 -> 0xFF00000000000000L | 60_000;
            default -> 0;
        };
        return new NodeImage(path, data, rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong(),
                rnd.nextLong(), rnd.nextInt(), rnd.nextInt(), rnd.nextInt(), owner, acls.get(rnd.nextInt(acls.size())).aclId());
    }

    public void writeTo(ImageSink sink) {
        sink.meta(meta);
        acls.forEach(sink::acl);
        nodes.forEach(sink::node);
        sessions.forEach(sink::session);
    }

    /** An {@link ImageSink} that keeps every record in arrival order. */
    public static final class Collector implements ImageSink {
        public final List<Object> records = new ArrayList<>();

        @Override
        public void meta(MetaImage meta) {
            records.add(meta);
        }

        @Override
        public void acl(AclImage acl) {
            records.add(acl);
        }

        @Override
        public void node(NodeImage node) {
            records.add(node);
        }

        @Override
        public void session(SessionImage session) {
            records.add(session);
        }
    }

    public List<Object> records() {
        Collector c = new Collector();
        writeTo(c);
        return c.records;
    }
}
