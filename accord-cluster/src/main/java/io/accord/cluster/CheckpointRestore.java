package io.accord.cluster;

import io.accord.core.StateMachine;
import io.accord.core.image.AclImage;
import io.accord.core.image.ImageSink;
import io.accord.core.image.MetaImage;
import io.accord.core.image.NodeImage;
import io.accord.core.image.SessionImage;
import io.accord.core.storage.CheckpointStore;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a persistent member's replica from its Xodus checkpoint before Aeron replays the log after the
 * checkpoint's position, and notes the highest sequence of this node's own entries the checkpoint reflects.
 */
final class CheckpointRestore {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointRestore.class);

    private CheckpointRestore() {
    }

    static StateMachine load(CheckpointStore s, AeronReplicationPort.Context ctx, MemberDirs dirs, MemberState state) {
        long t0 = System.nanoTime();
        StateMachine.Loader loader = StateMachine.loader(ctx.coreConfig());
        ImageSink sink = new ImageSink() {
            @Override
            public void meta(MetaImage meta) {
                Long seq = meta.originSequences() == null ? null : meta.originSequences().get(ctx.nodeId());
                if (seq != null) {
                    state.ownSequenceInLog = seq;
                }
                loader.meta(meta);
            }

            @Override
            public void acl(AclImage acl) {
                loader.acl(acl);
            }

            @Override
            public void node(NodeImage node) {
                loader.node(node);
            }

            @Override
            public void session(SessionImage session) {
                loader.session(session);
            }
        };
        if (!s.load(sink)) {
            LOG.info("member {}: no checkpoint in {}; starting from the initial tree", ctx.nodeId(), dirs.xodusDir);
            return new StateMachine(ctx.coreConfig());
        }
        StateMachine sm = loader.finish();
        LOG.info("member {}: loaded checkpoint at log position {} ({} nodes, zxid 0x{}) in {} ms", ctx.nodeId(),
                sm.appliedPosition(), sm.nodeCount(), Long.toHexString(sm.lastZxid()),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        if (!Files.exists(dirs.clusterDir.resolve("recording.log"))) {
            LOG.warn("member {}: the checkpoint is at log position {} but {} holds no cluster log: if the whole "
                    + "cluster was re-created, this checkpoint belongs to another log; wipe the whole data dir {}",
                    ctx.nodeId(), sm.appliedPosition(), dirs.clusterDir, ctx.dataDir());
        }
        return sm;
    }
}
