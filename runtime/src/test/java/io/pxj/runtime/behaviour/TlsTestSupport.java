package io.pxj.runtime.behaviour;

import io.pxj.runtime.Lines;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.ProtocolFactory;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.Server;
import io.pxj.runtime.Transport;
import io.pxj.runtime.tls.TlsConfig;
import io.pxj.runtime.tls.TlsContexts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/**
 * TLS for the behaviour suites: one self-signed certificate per test JVM (made with the JDK's keytool), protocols
 * given a TLS option, and client sockets that speak TLS 1.3 to them.
 */
public final class TlsTestSupport {
    private static TlsContexts.SelfSigned cert;

    private TlsTestSupport() {}

    /** The certificate, for {@code localhost} and {@code 127.0.0.1} / {@code ::1}. */
    public static synchronized TlsContexts.SelfSigned cert() {
        if (cert == null) {
            cert = TlsContexts.selfSigned(Duration.ofDays(2), "localhost", "127.0.0.1", "::1");
        }
        return cert;
    }

    public static TlsConfig serverConfig() {
        return TlsConfig.server(cert().serverContext()).build();
    }

    public static TlsConfig clientConfig() {
        return TlsConfig.client(cert().clientContext()).build();
    }

    /** A factory whose protocols speak TLS with {@code config}, keeping the rest of their options. */
    public static ProtocolFactory withTls(ProtocolFactory f, TlsConfig config) {
        return new ProtocolFactory() {
            @Override
            public Protocol newProtocol() {
                return withTls(f.newProtocol(), config);
            }

            @Override
            public void serverStarted(Server server) {
                f.serverStarted(server);
            }

            @Override
            public void serverStopped(Server server) {
                f.serverStopped(server);
            }
        };
    }

    /** {@code p} with TLS added to its options; every callback is {@code p}'s. */
    public static Protocol withTls(Protocol p, TlsConfig config) {
        ProtocolOptions o = p.options() == null ? ProtocolOptions.DEFAULT : p.options();
        ProtocolOptions tls = o.toBuilder().tls(config).build();
        return new Protocol() {
            @Override
            public ProtocolOptions options() {
                return tls;
            }

            @Override
            public void connectionMade(ParallelContext ctx, Transport t) throws Exception {
                p.connectionMade(ctx, t);
            }

            @Override
            public Object initialBytesToSend(ParallelContext ctx, Transport t) throws Exception {
                return p.initialBytesToSend(ctx, t);
            }

            @Override
            public Object dataReceived(ParallelContext ctx, Transport t, ByteBuffer data) throws Exception {
                return p.dataReceived(ctx, t, data);
            }

            @Override
            public Object linesReceived(ParallelContext ctx, Transport t, Lines lines) throws Exception {
                return p.linesReceived(ctx, t, lines);
            }

            @Override
            public Object sendComplete(ParallelContext ctx, Transport t, long sendId) throws Exception {
                return p.sendComplete(ctx, t, sendId);
            }

            @Override
            public void responseSent(ParallelContext ctx, Transport t, long start, long sent, int tag)
                    throws Exception {
                p.responseSent(ctx, t, start, sent, tag);
            }

            @Override
            public void inputShutdown(ParallelContext ctx, Transport t) throws Exception {
                p.inputShutdown(ctx, t);
            }

            @Override
            public void connectionClosed(ParallelContext ctx, Transport t) throws Exception {
                p.connectionClosed(ctx, t);
            }

            @Override
            public void exceptionCaught(ParallelContext ctx, Transport t, String callback, Throwable cause) {
                p.exceptionCaught(ctx, t, callback, cause);
            }

            @Override
            public void connectFailed(ParallelContext ctx, InetSocketAddress remote, Throwable cause) {
                p.connectFailed(ctx, remote, cause);
            }
        };
    }

    /** Layers TLS 1.3 over a connected socket and completes the handshake. */
    public static SSLSocket tlsClient(Socket plain, InetSocketAddress target) throws IOException {
        SSLSocket s = (SSLSocket) cert().clientContext().getSocketFactory().createSocket(plain,
                target.getAddress().getHostAddress(), target.getPort(), true);
        s.setEnabledProtocols(new String[] {"TLSv1.3"});
        s.startHandshake();
        return s;
    }
}
