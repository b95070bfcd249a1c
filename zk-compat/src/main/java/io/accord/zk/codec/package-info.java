/**
 * The Netty pipeline of a client connection, in order:
 *
 * <pre>
 *   FourLetterWordDecoder   first 4 bytes of a new connection: a known word, or remove itself
 *   FrameDecoder            4-byte length + payload; length &lt; 0 or &gt; jute.maxbuffer fails the connection
 *   ConnectRequestDecoder   first frame = ConnectRequest (44 or 45 bytes); replaces itself with
 *   RequestDecoder          RequestHeader + record by OpCode; unknown op / malformed body are reported, not thrown
 *   ServerFrameEncoder      (outbound, shared) length + ConnectResponse or ReplyHeader + body
 * </pre>
 */
package io.accord.zk.codec;
