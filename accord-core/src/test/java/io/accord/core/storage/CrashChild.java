package io.accord.core.storage;

import io.accord.core.CoreConfig;
import io.accord.core.StateMachine;
import java.nio.file.Path;
import java.util.List;

/**
 * The process {@link CrashConsistencyTest} kills with SIGKILL: restores a replica from the Xodus store in
 * {@code args[0]} (if it holds one), then applies the seeded workload's remaining entries with a Checkpointer
 * writing every 2 ms, printing {@code checkpointed <position>} whenever the committed position moves, and
 * {@code done} at the end (then waits to be killed).
 */
public final class CrashChild {
    private CrashChild() {
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
        Checkpointer cp = Checkpointer.start(sm, store, new Checkpointer.Settings(2, 0));
        long reported = Long.MIN_VALUE;
        for (Workload.Step s : steps) {
            s.applyTo(sm); // entries at or below the restored position are skipped by the replica
            long c = cp.checkpointedPosition();
            if (c != reported) {
                reported = c;
                System.out.println("checkpointed " + c);
            }
        }
        System.out.println("done " + sm.appliedPosition());
        System.out.flush();
        Thread.currentThread().join(); // wait for SIGKILL
    }
}
