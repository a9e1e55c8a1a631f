package io.pxj.runtime.tls;

import java.util.Objects;

/**
 * What a connection's protocol can read about its TLS session once the handshake is done (the connection is only
 * made after it): the negotiated protocol version and cipher suite, the ALPN protocol, and the server name the
 * client asked for (SNI).
 *
 * <p>Immutable and thread-safe.
 *
 * @param protocol            the negotiated version, {@code "TLSv1.3"} or {@code "TLSv1.2"}
 * @param cipherSuite         the negotiated cipher suite, e.g. {@code "TLS_AES_128_GCM_SHA256"}
 * @param applicationProtocol the ALPN protocol both sides agreed on, or {@code ""} when none was negotiated
 * @param serverName          the SNI host name: on a server what the client asked for, on a client what it sent;
 *                            {@code ""} when there was none
 */
public record TlsInfo(String protocol, String cipherSuite, String applicationProtocol, String serverName) {
    public TlsInfo {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
        Objects.requireNonNull(applicationProtocol, "applicationProtocol");
        Objects.requireNonNull(serverName, "serverName");
    }
}
