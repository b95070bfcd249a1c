package io.accord.compat.diff;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs.Ids;

import io.accord.compat.ServerTarget;
import io.accord.compat.TargetConfig;
import io.accord.compat.Targets.TargetPair;
import io.accord.compat.support.Clients;

/**
 * Runs one seeded {@link Scenario} against a reference and a subject target in lockstep, through the
 * real client, and fails at the first step where they differ: the step's result (normalized), the watch
 * events each session received (per session, in order), or, at the end, the whole tree.
 *
 * <p>Each step runs on the reference, then on the subject; then containers that became reapable are
 * awaited on both, and every session is synced so that all events the step caused have arrived.
 */
final class Lockstep {

    private static final int HISTORY = 15;

    private Lockstep() {
    }

    /**
     * @param hook called on the subject side before each step with its number (tests of the framework
     *             use it to plant a divergence); normally a no-op
     */
    static String run(TargetPair pair, long seed, int steps, BiConsumer<Integer, Side> hook) throws Exception {
        try (ServerTarget reference = pair.reference().start(TargetConfig.defaults());
             ServerTarget subject = pair.subject().start(TargetConfig.defaults());
             Clients clients = new Clients()) {
            Scenario scenario = new Scenario(seed);
            Side ref = new Side("reference " + pair.reference().name(), reference, clients, Scenario.SLOTS);
            Side sub = new Side("subject " + pair.subject().name(), subject, clients, Scenario.SLOTS);
            for (Side side : List.of(ref, sub)) {
                side.open();
                for (String path : Scenario.BASE) {
                    side.observer().create(path, null, Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                }
                for (int slot = 0; slot < Scenario.SLOTS; slot++) {
                    side.reopen(slot, scenario.identity(slot));
                }
            }
            Deque<String> history = new ArrayDeque<>();
            Map<String, Integer> outcomes = new TreeMap<>();
            int events = 0;
            int catchUp = 0;
            for (int i = 0; i < steps; i++) {
                Step step = scenario.next();
                hook.accept(i, sub);
                String expected = execute(ref, step);
                String actual = execute(sub, step);
                remember(history, "#" + i + " " + step + " -> " + expected);
                String kind = step.description().split(" ")[0];
                outcomes.merge(kind + (expected.startsWith("err ") ? " " + expected.split(" ")[1] : " ok"), 1, Integer::sum);
                check(pair, seed, i, "result of " + step, expected, actual, history);
                ref.settleContainers();
                sub.settleContainers();
                ref.barrier(step.unorderedEvents());
                sub.barrier(step.unorderedEvents());
                List<String> refEvents = ref.events();
                events += refEvents.size();
                catchUp += (int) refEvents.stream().filter(e -> e.endsWith(" z-1")).count();
                check(pair, seed, i, "watch events after " + step, refEvents.toString(), sub.events().toString(), history);
            }
            List<String> finalTree = ref.dump(Scenario.ROOT);
            check(pair, seed, steps, "final tree under " + Scenario.ROOT, String.join("\n", finalTree),
                String.join("\n", sub.dump(Scenario.ROOT)), history);
            return "seed " + seed + ": " + steps + " steps, " + events + " watch events (" + catchUp + " from setWatches), final tree of "
                + finalTree.size() + " nodes; outcomes " + outcomes;
        }
    }

    static String execute(Side side, Step step) {
        try {
            return step.action().run(side, side.session(step.slot()));
        } catch (KeeperException e) {
            return Outcomes.error(e, side.norm);
        } catch (IllegalArgumentException e) {
            return "client rejected: " + e.getMessage();
        } catch (Exception e) {
            throw new AssertionError(side.name + " failed to run " + step, e);
        }
    }

    private static void remember(Deque<String> history, String line) {
        history.addLast(line);
        if (history.size() > HISTORY) {
            history.removeFirst();
        }
    }

    private static void check(TargetPair pair, long seed, int step, String what, String expected, String actual,
                              Deque<String> history) {
        if (!expected.equals(actual)) {
            throw new AssertionError("divergence (" + pair + ", seed " + seed + ", step " + step + ") in " + what
                + "\n  reference: " + expected + "\n  subject:   " + actual
                + "\nlast steps (reference results):\n  " + String.join("\n  ", history)
                + "\nreplay with -Ddiff.seed=" + seed);
        }
    }
}
