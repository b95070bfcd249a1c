package io.accord.zk.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ZooKeeper's AdminServer on Netty's HTTP codec (PROTOCOL.md 9.3), plus a Prometheus scrape:
 * <ul>
 * <li>{@code GET <commandURL>}: an HTML list of links to the commands, as ZooKeeper prints it;</li>
 * <li>{@code GET <commandURL>/<name>}: the command's JSON ({@link AdminCommands}), pretty-printed by Jackson's
 * default printer as ZooKeeper's is;</li>
 * <li>{@code GET /metrics}: the node's Dropwizard registry in Prometheus text format 0.0.4 (names in {@link
 * ZkMetrics}).</li>
 * </ul>
 * Anything else is 404; methods other than GET/HEAD are 405. Runs on the client port's event loops (no thread of
 * its own: an idle admin port costs nothing); connections idle for {@code admin.idleTimeout} are closed.
 */
final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final String METRICS_PATH = "/metrics";
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final AdminCommands commands;
    private final String commandUrl;
    private final ObjectWriter json = new ObjectMapper().writerWithDefaultPrettyPrinter();
    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final PrometheusTextFormatWriter prometheusText = PrometheusTextFormatWriter.create();
    private final Channel channel;

    private AdminServer(ServerNode node, EventLoopGroup boss, EventLoopGroup workers,
                        Class<? extends ServerChannel> channelClass) {
        ZkServer.Context config = node.config;
        this.commands = new AdminCommands(node);
        this.commandUrl = config.adminCommandUrl();
        DropwizardExports.builder().dropwizardRegistry(config.metricRegistry()).register(prometheus);
        int idleMs = config.adminIdleTimeoutMs();
        channel = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelClass)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("idle", new IdleStateHandler(0, 0, idleMs, TimeUnit.MILLISECONDS))
                                .addLast("http", new HttpServerCodec())
                                .addLast("aggregate", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                .addLast("admin", new Handler());
                    }
                })
                .bind(new InetSocketAddress(config.adminServerAddress(), config.adminServerPort()))
                .syncUninterruptibly()
                .channel();
    }

    /**
     * Starts the admin server, or logs why it could not and returns null: like ZooKeeper's quorum peer, a node
     * whose admin port is taken keeps serving clients.
     */
    static AdminServer start(ServerNode node, EventLoopGroup boss, EventLoopGroup workers,
                             Class<? extends ServerChannel> channelClass) {
        try {
            AdminServer server = new AdminServer(node, boss, workers, channelClass);
            LOG.info("AdminServer listening on http://{}{} (and {})", server.localAddress(), server.commandUrl,
                    METRICS_PATH);
            return server;
        } catch (Exception e) { // bind() throws a checked BindException, undeclared
            LOG.warn("AdminServer not started on {}:{}: {}", node.config.adminServerAddress(),
                    node.config.adminServerPort(), e.toString());
            return null;
        }
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse response = respond(ctx, request);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setContentLength(response, response.content().readableBytes());
            if (request.method() == HttpMethod.HEAD) {
                response.content().clear();
            }
            HttpUtil.setKeepAlive(response, keepAlive);
            if (keepAlive) {
                ctx.writeAndFlush(response, ctx.voidPromise());
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent) {
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("admin connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    private FullHttpResponse respond(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            return text(ctx, HttpResponseStatus.BAD_REQUEST, "Bad request\n");
        }
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            FullHttpResponse response = text(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "Method not allowed: " + request.method() + "\n");
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            return response;
        }
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        String path = query.path();
        if (path.equals(METRICS_PATH)) {
            return metrics(ctx);
        }
        String base = commandUrl.endsWith("/") ? commandUrl.substring(0, commandUrl.length() - 1) : commandUrl;
        if (path.equals(base) || path.equals(base + "/")) {
            return index(ctx, base);
        }
        if (path.startsWith(base + "/")) {
            String name = path.substring(base.length() + 1);
            if (!name.isEmpty() && name.indexOf('/') < 0) {
                Map<String, String> params = new HashMap<>();
                query.parameters().forEach((key, values) -> params.put(key, values.get(0)));
                return command(ctx, name, params);
            }
        }
        return text(ctx, HttpResponseStatus.NOT_FOUND, "Not found: " + path + "\n");
    }

    private FullHttpResponse index(ChannelHandlerContext ctx, String base) {
        StringBuilder html = new StringBuilder();
        for (String name : commands.primaryNames()) {
            html.append("<a href=\"").append(base).append('/').append(name).append("\">").append(name)
                    .append("</a>\n<br/>\n");
        }
        FullHttpResponse response = response(ctx, HttpResponseStatus.OK,
                html.toString().getBytes(StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        return response;
    }

    private FullHttpResponse command(ChannelHandlerContext ctx, String name, Map<String, String> params) {
        AdminCommands.Answer answer = commands.run(name, params);
        byte[] body;
        try {
            body = json.writeValueAsBytes(answer.body());
        } catch (JsonProcessingException e) {
            LOG.warn("admin command {} could not be written as JSON", name, e);
            return text(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal error\n");
        }
        FullHttpResponse response = response(ctx, HttpResponseStatus.valueOf(answer.status()), body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        return response;
    }

    private FullHttpResponse metrics(ChannelHandlerContext ctx) {
        ByteBuf buf = ctx.alloc().buffer();
        try (OutputStream out = new ByteBufOutputStream(buf)) {
            prometheusText.write(out, prometheus.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException | RuntimeException e) {
            buf.release();
            LOG.warn("Prometheus scrape failed", e);
            return text(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal error\n");
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, buf);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, prometheusText.getContentType());
        return response;
    }

    private static FullHttpResponse text(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
        FullHttpResponse response = response(ctx, status, text.getBytes(StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return response;
    }

    private static FullHttpResponse response(ChannelHandlerContext ctx, HttpResponseStatus status, byte[] body) {
        ByteBuf content = ctx.alloc().buffer(body.length).writeBytes(body);
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    }
}
