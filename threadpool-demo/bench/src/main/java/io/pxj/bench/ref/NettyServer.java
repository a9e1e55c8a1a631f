package io.pxj.bench.ref;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.stream.ChunkedFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;

/**
 * Netty 4.2 reference server, written the way TechEmpower's Netty entry is: HttpRequestDecoder/HttpResponseEncoder
 * (no aggregator), pooled direct buffers, responses written without flush in channelRead and flushed once in
 * channelReadComplete (a pipelined batch goes out in one write), prebuilt unreleasable plaintext body, cached
 * Date. Static files go out zero-copy as a FileRegion. An optional echo port runs an echo handler on the same
 * event loops.
 *
 * <p>With {@code --tls-keystore} the HTTP port speaks HTTPS through Netty's {@link SslHandler} on the JDK provider
 * (the same {@code SSLEngine} PxJ uses, TLS 1.3 and 1.2, ALPN http/1.1), and static files go out as
 * {@link ChunkedFile}s (no zero-copy through a cipher, as in PxJ).
 *
 * <pre>java -cp pxj-bench.jar io.pxj.bench.ref.NettyServer --port 8081 [--echo-port 9081] [--transport
 * epoll|nio|io_uring] [--threads N] [--root DIR] [--tls-keystore FILE.p12 --tls-password PW]</pre>
 */
public final class NettyServer {
    private static final String USAGE
            = "NettyServer --port P [--echo-port E] [--transport epoll|nio|io_uring] [--threads N] [--root DIR]"
            + " [--tls-keystore FILE.p12 --tls-password PW]";
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    private static final AsciiString APPLICATION_JSON = AsciiString.cached("application/json");
    private static final AsciiString OCTET_STREAM = AsciiString.cached("application/octet-stream");
    private static final AsciiString SERVER = AsciiString.cached(RefHttp.SERVER);
    private static final AsciiString PLAINTEXT_LENGTH = AsciiString.cached(Integer.toString(RefHttp.PLAINTEXT.length));
    private static final ByteBuf PLAINTEXT_BUF = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(RefHttp.PLAINTEXT.length).writeBytes(RefHttp.PLAINTEXT)).asReadOnly();
    private static final DefaultHttpHeadersFactory HEADERS
            = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    private static final DefaultHttpHeadersFactory TRAILERS
            = DefaultHttpHeadersFactory.trailersFactory().withValidation(false);

    private NettyServer() {}

    public static void main(String[] args) throws Exception {
        RefArgs a = RefArgs.parse(args, USAGE);
        int port = a.getInt("port", 8080);
        int echoPort = a.getInt("echo-port", 0);
        String transport = a.get("transport", "epoll");
        Path root = a.root();

        IoHandlerFactory factory;
        Class<? extends ServerChannel> channel;
        switch (transport) {
            case "epoll" -> {
                Epoll.ensureAvailability();
                factory = EpollIoHandler.newFactory();
                channel = EpollServerSocketChannel.class;
            }
            case "io_uring", "iouring", "uring" -> {
                IoUring.ensureAvailability();
                factory = IoUringIoHandler.newFactory();
                channel = IoUringServerSocketChannel.class;
            }
            case "nio" -> {
                factory = NioIoHandler.newFactory();
                channel = NioServerSocketChannel.class;
            }
            default -> throw new IllegalArgumentException("unknown transport " + transport + "\n" + USAGE);
        }
        SslContext tls = a.get("tls-keystore", null) == null ? null
                : sslContext(Path.of(a.get("tls-keystore", null)), a.get("tls-password", "").toCharArray());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(a.threads(), factory);
        try {
            HttpHandler http = new HttpHandler(root, tls != null);
            Channel h = bootstrap(group, channel, new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    if (tls != null) {
                        ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()))
                                .addLast("chunked", new ChunkedWriteHandler());
                    }
                    ch.pipeline().addLast("encoder", new HttpResponseEncoder())
                            .addLast("decoder", new HttpRequestDecoder(4096, 8192, 8192, false))
                            .addLast("handler", http);
                }
            }).bind(new InetSocketAddress(port)).sync().channel();
            Channel e = null;
            if (echoPort > 0) {
                EchoHandler echo = new EchoHandler();
                e = bootstrap(group, channel, new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(echo);
                    }
                }).bind(new InetSocketAddress(echoPort)).sync().channel();
            }
            System.out.println("netty-" + transport + (tls == null ? " http on " : " https on ") + h.localAddress()
                    + (e == null ? "" : ", echo on " + e.localAddress()) + ", " + a.threads() + " event loop(s)");
            h.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    /** Netty's JDK-provider TLS with the key of a PKCS#12 file: TLS 1.3 and 1.2, ALPN http/1.1. */
    private static SslContext sslContext(Path keystore, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        return SslContextBuilder.forServer(kmf).sslProvider(SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2")
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "http/1.1"))
                .build();
    }

    private static ServerBootstrap bootstrap(EventLoopGroup group, Class<? extends ServerChannel> channel,
                                             ChannelInitializer<Channel> init) {
        return new ServerBootstrap()
                .group(group)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, 8192)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(init);
    }

    @Sharable
    static final class HttpHandler extends ChannelInboundHandlerAdapter {
        private final Path root;
        private final boolean tls;

        HttpHandler(Path root, boolean tls) {
            this.root = root;
            this.tls = tls;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest req) { handle(ctx, req); }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void handle(ChannelHandlerContext ctx, HttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            String uri = req.uri();
            if (req.method() != HttpMethod.GET) {
                empty(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, keepAlive);
                return;
            }
            switch (uri) {
                case "/plaintext" -> write(ctx, full(PLAINTEXT_BUF.duplicate(), TEXT_PLAIN, PLAINTEXT_LENGTH),
                        keepAlive);
                case "/json" -> {
                    byte[] body = RefHttp.json();
                    ByteBuf buf = ctx.alloc().directBuffer(body.length).writeBytes(body);
                    write(ctx, full(buf, APPLICATION_JSON, AsciiString.of(Integer.toString(body.length))), keepAlive);
                }
                default -> {
                    Path file = RefHttp.staticFile(root, uri);
                    if (file == null) {
                        empty(ctx, HttpResponseStatus.NOT_FOUND, keepAlive);
                        return;
                    }
                    long length;
                    try {
                        length = Files.size(file);
                    } catch (IOException e) {
                        empty(ctx, HttpResponseStatus.NOT_FOUND, keepAlive);
                        return;
                    }
                    HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, HEADERS);
                    headers(res.headers(), OCTET_STREAM, AsciiString.of(Long.toString(length)));
                    ctx.write(res, ctx.voidPromise());
                    if (tls) {
                        try {
                            ctx.write(new ChunkedFile(new RandomAccessFile(file.toFile(), "r"), 0, length, 32 * 1024),
                                    ctx.voidPromise());
                        } catch (IOException e) {
                            ctx.close();
                            return;
                        }
                    } else {
                        ctx.write(new DefaultFileRegion(file.toFile(), 0, length), ctx.voidPromise());
                    }
                    if (keepAlive) { ctx.write(LastHttpContent.EMPTY_LAST_CONTENT, ctx.voidPromise()); }
                    else {
                        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
                    }
                }
            }
        }

        private static FullHttpResponse full(ByteBuf body, AsciiString type, AsciiString length) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body,
                    HEADERS, TRAILERS);
            headers(res.headers(), type, length);
            return res;
        }

        private static void headers(HttpHeaders h, AsciiString type, CharSequence length) {
            h.set(HttpHeaderNames.CONTENT_TYPE, type)
                    .set(HttpHeaderNames.SERVER, SERVER)
                    .set(HttpHeaderNames.DATE, RefHttp.date())
                    .set(HttpHeaderNames.CONTENT_LENGTH, length);
        }

        private static void empty(ChannelHandlerContext ctx, HttpResponseStatus status, boolean keepAlive) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER,
                    HEADERS, TRAILERS);
            res.headers().set(HttpHeaderNames.SERVER, SERVER).set(HttpHeaderNames.DATE, RefHttp.date())
                    .set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO);
            write(ctx, res, keepAlive);
        }

        private static void write(ChannelHandlerContext ctx, FullHttpResponse res, boolean keepAlive) {
            if (keepAlive) { ctx.write(res, ctx.voidPromise()); }
            else { ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE); }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Echo: write back what arrived, one flush per read batch. */
    @Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
