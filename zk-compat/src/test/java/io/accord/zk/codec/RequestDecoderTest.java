package io.accord.zk.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accord.zk.jute.JuteException;
import io.accord.zk.proto.ClientRequest;
import io.accord.zk.proto.ConnectRequest;
import io.accord.zk.proto.CreateRequest;
import io.accord.zk.proto.GetDataRequest;
import io.accord.zk.proto.MalformedRequest;
import io.accord.zk.proto.OpCode;
import io.accord.zk.proto.RequestHeader;
import io.accord.zk.proto.UnknownRequest;
import io.accord.core.acl.Acl;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestDecoderTest {
    private final CodecTestSupport support = new CodecTestSupport();

    private static EmbeddedChannel pipeline() {
        return new EmbeddedChannel(new FourLetterWordDecoder(), new FrameDecoder(CodecTestSupport.MAX),
                new ConnectRequestDecoder(CodecTestSupport.MAX));
    }

    private static byte[] connect(boolean readOnly) {
        return CodecTestSupport.frame(new ConnectRequest(0, 0, 30_000, 0, new byte[16], false, readOnly));
    }

    @Test
    void pipelinedConnectAndRequestsDecodeInOrderAndTheConnectDecoderReplacesItself() {
        EmbeddedChannel channel = pipeline();
        byte[] bytes = CodecTestSupport.concat(connect(true),
                CodecTestSupport.frame(new RequestHeader(1, 4), new GetDataRequest("/a", true)),
                CodecTestSupport.frame(new RequestHeader(-2, 11)),
                CodecTestSupport.frame(new RequestHeader(2, 1),
                        new CreateRequest("/b", null, Acl.OPEN_ACL_UNSAFE, 0)));
        support.feedByteByByte(channel, bytes);
        List<Object> out = CodecTestSupport.inbound(channel);
        assertEquals(4, out.size());
        assertInstanceOf(ConnectRequest.class, out.get(0));
        assertEquals(new ClientRequest(new RequestHeader(1, 4), OpCode.GET_DATA, new GetDataRequest("/a", true)),
                out.get(1));
        assertEquals(new ClientRequest(new RequestHeader(-2, 11), OpCode.PING, null), out.get(2));
        assertEquals(new ClientRequest(new RequestHeader(2, 1), OpCode.CREATE,
                new CreateRequest("/b", null, Acl.OPEN_ACL_UNSAFE, 0)), out.get(3));
        assertNull(channel.pipeline().get(ConnectRequestDecoder.class));
        assertNotNull(channel.pipeline().get(RequestDecoder.NAME));
        assertFalse(channel.finish());
        support.assertAllReleased();
    }

    @Test
    void fortyFourByteConnectRequestHasNoReadOnlyByte() {
        EmbeddedChannel channel = pipeline();
        byte[] frame = connect(false);
        assertEquals(48, frame.length);
        support.feedByteByByte(channel, frame);
        ConnectRequest request = (ConnectRequest) CodecTestSupport.inbound(channel).get(0);
        assertFalse(request.readOnlyPresent());
        assertFalse(channel.finish());
        support.assertAllReleased();
    }

    @Test
    void firstFrameThatIsNotAConnectRequestFails() {
        EmbeddedChannel channel = pipeline();
        assertThrows(JuteException.class, () -> support.feedByteByByte(channel,
                CodecTestSupport.frame(new RequestHeader(1, 4), new GetDataRequest("/a", false))));
        channel.finishAndReleaseAll();
        support.assertAllReleased();
    }

    @Test
    void unknownOpcodeIsReportedNotThrown() {
        EmbeddedChannel channel = pipeline();
        support.feedByteByByte(channel, CodecTestSupport.concat(connect(true),
                CodecTestSupport.frame(new RequestHeader(5, 99)), CodecTestSupport.frame(new RequestHeader(6, 10)),
                CodecTestSupport.frame(new RequestHeader(7, 0))));
        List<Object> out = CodecTestSupport.inbound(channel);
        assertEquals(List.of(new UnknownRequest(new RequestHeader(5, 99)), new UnknownRequest(new RequestHeader(6, 10)),
                new UnknownRequest(new RequestHeader(7, 0))), out.subList(1, 4));
        assertFalse(channel.finish());
        support.assertAllReleased();
    }

    @Test
    void truncatedBodyIsMalformedAndDecodingContinues() {
        EmbeddedChannel channel = pipeline();
        byte[] truncated = {0, 0, 0, 11, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0}; // getData, path length cut short
        byte[] hugeString = {0, 0, 0, 12, 0, 0, 0, 4, 0, 0, 0, 4, 0x7f, 0, 0, 0}; // path length 2 GiB
        support.feedByteByByte(channel, CodecTestSupport.concat(connect(true), truncated, hugeString,
                CodecTestSupport.frame(new RequestHeader(5, 11))));
        List<Object> out = CodecTestSupport.inbound(channel);
        MalformedRequest first = (MalformedRequest) out.get(1);
        assertEquals(OpCode.GET_DATA, first.op());
        assertEquals(3, first.header().xid());
        MalformedRequest second = (MalformedRequest) out.get(2);
        assertEquals("ustring length: 2130706432 (expected: -1...1048575)", second.reason());
        assertEquals(OpCode.PING, ((ClientRequest) out.get(3)).op());
        assertFalse(channel.finish());
        support.assertAllReleased();
    }

    @Test
    void frameShorterThanAHeaderFails() {
        EmbeddedChannel channel = pipeline();
        support.feedByteByByte(channel, connect(true));
        assertThrows(JuteException.class, () -> support.feedByteByByte(channel, new byte[] {0, 0, 0, 3, 1, 2, 3}));
        assertTrue(channel.finishAndReleaseAll());
        support.assertAllReleased();
    }

    @Test
    void vectorCountLargerThanTheBytesLeftIsRejectedBeforeAllocating() {
        EmbeddedChannel channel = pipeline();
        // create: path "/x", data null, acl count 100000 with nothing after it
        byte[] body = {0, 0, 0, 2, '/', 'x', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 1, (byte) 0x86,
                (byte) 0xa0};
        byte[] frame = new byte[4 + 8 + body.length];
        frame[3] = (byte) (8 + body.length);
        frame[7] = 9;
        frame[11] = 1;
        System.arraycopy(body, 0, frame, 12, body.length);
        support.feedByteByByte(channel, CodecTestSupport.concat(connect(true), frame));
        MalformedRequest malformed = (MalformedRequest) CodecTestSupport.inbound(channel).get(1);
        assertTrue(malformed.reason().startsWith("vector<ACL> count: 100000"), malformed.reason());
        assertFalse(channel.finish());
        support.assertAllReleased();
    }
}
