package io.pxj.demo.load;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where the load generator connects, parsed from {@code http://host[:port][/path]} or {@code host:port[/path]}
 * (http; {@code https://} for TLS) and {@code host:port} or {@code tcp://host:port} (echo). IPv6 literals go in
 * brackets. Every parse error is an {@link IllegalArgumentException} whose message says what is wrong.
 *
 * @param host        host name or address (without brackets)
 * @param port        1..65535
 * @param path        request target for http ("/..." with query), "" for echo
 * @param hostHeader  the Host header value for http
 * @param tls         true for an {@code https://} target
 */
public record LoadTarget(String host, int port, String path, String hostHeader, boolean tls) {

    /** A plaintext target. */
    public LoadTarget(String host, int port, String path, String hostHeader) {
        this(host, port, path, hostHeader, false);
    }

    public enum Mode { ECHO, HTTP }

    public static LoadTarget parse(Mode mode, String spec) {
        if (spec == null || spec.isBlank()) { throw new IllegalArgumentException("the target is empty"); }
        String s = spec.trim();
        boolean tls = false;
        String lower = s.toLowerCase(Locale.ROOT);
        int scheme = lower.indexOf("://");
        if (scheme >= 0) {
            String name = lower.substring(0, scheme);
            tls = mode == Mode.HTTP && name.equals("https");
            String expected = mode == Mode.HTTP ? "http" : "tcp";
            if (!name.equals(expected) && !tls) {
                throw new IllegalArgumentException("unsupported scheme '" + name + "' in '" + spec + "' (use "
                        + expected + "://host:port" + (mode == Mode.HTTP ? "/path" : "") + " or host:port)");
            }
        } else {
            s = (mode == Mode.HTTP ? "http://" : "tcp://") + s;
        }
        URI uri;
        try {
            uri = new URI(tls ? "http" + s.substring(5) : s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + spec + "' is not a valid "
                    + (mode == Mode.HTTP ? "URL" : "host:port")
                    + ": " + e.getReason());
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("'" + spec + "' has no valid host (expected "
                    + (mode == Mode.HTTP ? "http://host:port/path" : "host:port") + ")");
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException("user info is not supported in '" + spec + "'");
        }
        if (uri.getFragment() != null) {
            throw new IllegalArgumentException("a fragment (#...) makes no sense in '" + spec + "'");
        }
        if (host.startsWith("[") && host.endsWith("]")) { host = host.substring(1, host.length() - 1); }
        int port = uri.getPort();
        if (port == -1) {
            if (mode == Mode.ECHO) {
                throw new IllegalArgumentException("'" + spec + "' has no port (expected host:port)");
            }
            port = tls ? 443 : 80;
        }
        if (port < 1 || port > 65535) { throw new IllegalArgumentException("port must be 1..65535 in '" + spec + "'"); }
        String path = "";
        if (mode == Mode.HTTP) {
            path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) { path += "?" + uri.getRawQuery(); }
            for (int i = 0; i < path.length(); i++) {
                char c = path.charAt(i);
                if (c <= ' ' || c >= 0x7F) { throw new IllegalArgumentException("the path of '" + spec
                        + "' must be ASCII without spaces (percent-encode it)"); }
            }
        } else if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            throw new IllegalArgumentException("an echo target has no path: '" + spec + "' (expected host:port)");
        }
        String hostHeader = (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
                + (port == (tls ? 443 : 80) ? "" : ":" + port);
        return new LoadTarget(host, port, path, hostHeader, tls);
    }

    /** The keep-alive GET request for this target. */
    public byte[] httpRequest() {
        return ("GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUser-Agent: pxj-load\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return path.isEmpty() ? hostHeader : (tls ? "https://" : "http://") + hostHeader + path;
    }
}
