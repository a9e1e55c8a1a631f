/**
 * TLS for any {@link io.pxj.runtime.Protocol}: a layer between a backend's {@link io.pxj.runtime.spi.Channel} and
 * the core's connection state machine, driven by the JDK's {@link javax.net.ssl.SSLEngine}.
 *
 * <p>A protocol turns TLS on with {@link io.pxj.runtime.ProtocolOptions.Builder#tls(TlsConfig)}; its callbacks then
 * see plaintext exactly as without TLS. {@link TlsConfig} holds the {@link javax.net.ssl.SSLContext} and the
 * policy (TLS 1.3 and 1.2 only, ALPN, handshake timeout, hostname verification for clients), {@link TlsStats}
 * counts handshakes and the ways they fail, {@link TlsInfo} is what a connection's protocol can read about its
 * session ({@link io.pxj.runtime.Transport#tls()}), and {@link TlsLayer} is the layer itself. The package uses the
 * public API and the backend SPI only, never the core.
 */
package io.pxj.runtime.tls;
