package io.accord.core.storage;

import io.accord.core.CoreConfig;
import io.accord.core.StateMachine;
import io.accord.core.image.ImageSink;
import java.nio.file.Path;
import java.util.List;

/**
 * The process {@link CrashConsistencyTest} kills with SIGKILL: restores a replica from the Xodus store in
 * {@code args[0]} (if it holds one), then applies the seeded workload's remaining entries with a Checkpointer
 * writing every 2 ms. Around every store write it prints {@code writing <changes> <from> <to>} (just before the
 * Xodus transaction) and {@code checkpointed <position>} (after its commit), and {@code done} at the end (then
 * waits to be killed).
 */
public final class CrashChild {
    private CrashChild() {
    }

    /** The real Xodus store, announcing each write on stdout so the parent can kill inside it. */
    private static final class AnnouncingStore implements CheckpointStore {
        private final XodusCheckpointStore store;

        AnnouncingStore(XodusCheckpointStore store) {
            this.store = store;
        }

        @Override
        public long appliedPosition() {
            return store.appliedPosition();
        }

        @Override
        public boolean load(ImageSink sink) {
            return store.load(sink);
        }

        @Override
        public void apply(ChangeSet changes) {
            if (changes.meta() != null) {
                System.out.println("writing " + changes.size() + " " + store.appliedPosition() + " "
                        + changes.meta().appliedPosition());
                System.out.flush();
            }
            store.apply(changes);
            System.out.println("checkpointed " + store.appliedPosition());
            System.out.flush();
        }

        @Override
        public long sync() {
            return store.sync();
        }

        @Override
        public long sizeBytes() {
            return store.sizeBytes();
        }

        @Override
        public void close() {
            store.close();
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int entries = Integer.parseInt(args[2]);
        List<Workload.Step> steps = Workload.generate(seed, entries).steps;
        XodusCheckpointStore store = XodusCheckpointStore.open(dir);
        StateMachine sm;
        if (store.appliedPosition() == CheckpointStore.EMPTY) {
            sm = new StateMachine(CoreConfig.defaults());
        } else {
            StateMachine.Loader loader = StateMachine.loader(CoreConfig.defaults());
            store.load(loader);
            sm = loader.finish();
        }
        System.out.println("start " + sm.appliedPosition());
        Checkpointer.start(sm, new AnnouncingStore(store), new Checkpointer.Settings(2, 0, 1));
        for (Workload.Step s : steps) {
            s.applyTo(sm); // entries at or below the restored position are skipped by the replica
        }
        System.out.println("done " + sm.appliedPosition());
        System.out.flush();
        Thread.currentThread().join(); // wait for SIGKILL
    }
}
