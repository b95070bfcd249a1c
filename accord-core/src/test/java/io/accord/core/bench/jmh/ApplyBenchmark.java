package io.accord.core.bench.jmh;

import io.accord.core.CoreConfig;
import io.accord.core.StateMachine;
import io.accord.core.acl.Acl;
import io.accord.core.acl.Id;
import io.accord.core.codec.LogEntryCodec;
import io.accord.core.txn.Applied;
import io.accord.core.txn.ApplyListener;
import io.accord.core.txn.LogEntry;
import io.accord.core.txn.Op;
import io.accord.core.txn.Request;
import io.accord.core.txn.Result;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The replica's hot path, one request at a time as JMH sees it: applying log entries of {@value #BATCH} requests
 * (setData, create+delete, multi of check+setData) to a tree of 10,000 znodes, serving getData, and the log entry
 * codec both ways. Every score is per request ({@link OperationsPerInvocation}).
 *
 * <p>Run (from the repository root; README's "Microbenchmarks" section has the same commands):
 * <pre>
 * mvn -q -pl accord-core test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp accord-core/target/test-classes:accord-core/target/classes:$(cat accord-core/target/cp.txt) \
 *     org.openjdk.jmh.Main ApplyBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@State(Scope.Thread)
public class ApplyBenchmark {
    static final int BATCH = 100;
    private static final int NODES = 10_000;
    private static final List<Id> IDS = List.of(new Id("ip", "127.0.0.1"));

    private StateMachine sm;
    private long position;
    private long sequence;
    private long session;
    private LogEntry setData;
    private LogEntry createDelete;
    private LogEntry multi;
    private byte[] encodedSetData;
    private final ByteBuffer encodeBuffer = ByteBuffer.allocateDirect(1 << 16);
    private String[] paths;
    private int next;
    private final Counter counter = new Counter();

    @Setup(Level.Trial)
    public void setUp() {
        sm = new StateMachine(CoreConfig.defaults());
        sm.apply(++position, 1, new LogEntry(1, ++sequence, List.of(new Request(1, 0, 0, IDS,
                new Op.CreateSession(30_000, new byte[16])))), a -> session = ((Result.SessionCreated) a.result())
                .sessionId());
        List<Request> tree = new ArrayList<>();
        paths = new String[NODES];
        for (int p = 0; p < 10; p++) {
            tree.add(request(create("/p" + p)));
            for (int c = 0; c < NODES / 10; c++) {
                paths[p * (NODES / 10) + c] = "/p" + p + "/c" + c;
                tree.add(request(create(paths[p * (NODES / 10) + c])));
            }
        }
        sm.apply(++position, 2, new LogEntry(1, ++sequence, tree), ApplyListener.NONE);
        List<Request> sets = new ArrayList<>(BATCH);
        List<Request> pairs = new ArrayList<>(BATCH);
        List<Request> multis = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            String path = paths[i * 97 % NODES];
            sets.add(request(new Op.SetData(path, new byte[8], -1)));
            String fresh = "/p" + (i / 2 % 10) + "/fresh" + i / 2;
            pairs.add(request(i % 2 == 0 ? create(fresh) : new Op.Delete(fresh, -1)));
            multis.add(request(new Op.Multi(List.of(new Op.Check(path, -1), new Op.SetData(path, new byte[8], -1)))));
        }
        setData = new LogEntry(1, 0, sets);
        createDelete = new LogEntry(1, 0, pairs);
        multi = new LogEntry(1, 0, multis);
        encodedSetData = LogEntryCodec.encode(setData);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void applySetData() {
        apply(setData);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void applyCreateDelete() {
        apply(createDelete);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void applyMulti() {
        apply(multi);
    }

    @Benchmark
    public Result getData() {
        next = next + 1 == NODES ? 0 : next + 1;
        return sm.getData(paths[next], IDS);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int encodeEntry() {
        return LogEntryCodec.encode(setData, encodeBuffer, 0);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void decodeEntry(Blackhole hole) {
        hole.consume(LogEntryCodec.decode(encodedSetData, 0, encodedSetData.length));
    }

    private void apply(LogEntry entry) {
        sm.apply(++position, 3 + position, new LogEntry(entry.origin(), ++sequence, entry.requests()), counter);
        if (counter.failures != 0) {
            throw new IllegalStateException(counter.failures + " requests failed");
        }
    }

    private Request request(Op op) {
        return new Request(1, 0, session, IDS, op);
    }

    private static Op.Create create(String path) {
        return new Op.Create(Op.OPCODE_CREATE, path, new byte[8], Acl.OPEN_ACL_UNSAFE, 0, -1);
    }

    /** A listener as cheap as a node's: counts failures so a broken setup cannot pass as fast. */
    static final class Counter implements ApplyListener {
        long failures;

        @Override
        public void onApplied(Applied a) {
            if (a.result().code() != 0) {
                failures++;
            }
        }
    }
}
