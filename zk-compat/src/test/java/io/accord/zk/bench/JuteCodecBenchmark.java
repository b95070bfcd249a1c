package io.accord.zk.bench;

import io.accord.core.acl.Acl;
import io.accord.core.tree.Stat;
import io.accord.zk.jute.JuteInput;
import io.accord.zk.proto.CreateRequest;
import io.accord.zk.proto.GetDataResponse;
import io.accord.zk.proto.JuteRecord;
import io.accord.zk.proto.OpCode;
import io.accord.zk.proto.Reply;
import io.accord.zk.proto.RequestHeader;
import io.accord.zk.proto.SetDataRequest;
import io.accord.zk.proto.SetDataResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The front end's per-request codec work, as the request decoder and the reply encoder do it: reading a
 * setData and a create request (header and record) from a frame, and writing setData and getData replies. The
 * buffers are pooled direct buffers, as on a Netty socket.
 *
 * <p>Run (from the repository root; README's "Performance" section has the same commands):
 * <pre>
 * mvn -q install -DskipTests
 * mvn -q -pl zk-compat test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp zk-compat/target/test-classes:zk-compat/target/classes:$(cat zk-compat/target/cp.txt) \
 *     org.openjdk.jmh.Main JuteCodecBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
@State(Scope.Thread)
public class JuteCodecBenchmark {
    private static final int MAX_RECORD = 1 << 20;
    private static final Stat STAT = new Stat(0x1_0000_0005L, 0x1_0000_0009L, 1_700_000_000_000L, 1_700_000_000_500L,
            4, 0, 0, 0, 8, 0, 0x1_0000_0005L);

    private ByteBuf setDataFrame;
    private ByteBuf createFrame;
    private ByteBuf out;
    private final SetDataResponse setDataResponse = new SetDataResponse(STAT);
    private final GetDataResponse getDataResponse = new GetDataResponse(new byte[8], STAT);

    @Setup(Level.Trial)
    public void setUp() {
        setDataFrame = frame(new RequestHeader(17, OpCode.SET_DATA.code()),
                new SetDataRequest("/accord-bench/s7", new byte[8], -1));
        createFrame = frame(new RequestHeader(18, OpCode.CREATE.code()),
                new CreateRequest("/accord-bench/s7/n-", new byte[8], Acl.OPEN_ACL_UNSAFE, 2));
        out = PooledByteBufAllocator.DEFAULT.directBuffer(4096);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        setDataFrame.release();
        createFrame.release();
        out.release();
    }

    private static ByteBuf frame(RequestHeader header, JuteRecord body) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(256);
        header.write(b);
        body.write(b);
        return b;
    }

    @Benchmark
    public JuteRecord decodeSetData() {
        return decode(setDataFrame);
    }

    @Benchmark
    public JuteRecord decodeCreate() {
        return decode(createFrame);
    }

    private static JuteRecord decode(ByteBuf frame) {
        frame.readerIndex(0);
        JuteInput in = new JuteInput(frame, MAX_RECORD);
        RequestHeader header = RequestHeader.read(in);
        return OpCode.of(header.type()).readBody(in);
    }

    @Benchmark
    public int encodeSetDataReply() {
        out.clear();
        Reply.of(17, 0x1_0000_0009L, setDataResponse).write(out);
        return out.writerIndex();
    }

    @Benchmark
    public int encodeGetDataReply() {
        out.clear();
        Reply.of(19, 0x1_0000_0009L, getDataResponse).write(out);
        return out.writerIndex();
    }
}
