package io.pxj.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * An access log in the Common or Combined Log Format, written at INFO through the SLF4J logger
 * {@value #LOGGER_NAME} (route it to its own file with the logging backend's configuration). Attach it with
 * {@link HttpServer.Builder#accessLog(AccessLog)}; servers without it log nothing and pay nothing.
 *
 * <pre>{@code 127.0.0.1 - - [03/Dec/2026:10:19:31 +0000] "GET /json HTTP/1.1" 200 - "-" "curl/8.1.2"}</pre>
 *
 * <p>The size field is always {@code -}: a {@link RequestListener} hears the status, not the encoded length.
 * When the logger is disabled the call returns after one level check, allocating nothing.
 *
 * <p>Threading: immutable and thread-safe; called on the connection's pool thread after each response is
 * encoded, concurrently for different connections.
 */
public final class AccessLog implements RequestListener {
    /** The SLF4J logger every line goes to. */
    public static final String LOGGER_NAME = "io.pxj.http.access";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US);

    private final Logger log;
    private final boolean combined;

    private AccessLog(Logger log, boolean combined) {
        this.log = log;
        this.combined = combined;
    }

    /** Common Log Format: host, identity, user, time, request line, status, size. */
    public static AccessLog common() {
        return new AccessLog(LoggerFactory.getLogger(LOGGER_NAME), false);
    }

    /** Combined Log Format: the common fields plus Referer and User-Agent. */
    public static AccessLog combined() {
        return new AccessLog(LoggerFactory.getLogger(LOGGER_NAME), true);
    }

    @Override
    public void requestCompleted(HttpRequest request, int status, long nanos) {
        if (!log.isInfoEnabled()) {
            return;
        }
        log.info(line(request, status, ZonedDateTime.now()));
    }

    /** One log line (no trailing newline). */
    String line(HttpRequest request, int status, ZonedDateTime time) {
        StringBuilder b = new StringBuilder(160);
        InetSocketAddress remote = request.remoteAddress();
        if (remote == null) {
            b.append('-');
        } else {
            b.append(remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress());
        }
        b.append(" - - [").append(TIME.format(time)).append("] \"");
        if (request.method() == null) {
            b.append('-');
        } else {
            b.append(request.method().name()).append(' ');
            quoted(b, request.rawTarget());
            b.append(' ').append(request.version());
        }
        b.append("\" ").append(status).append(" -");
        if (combined) {
            b.append(" \"");
            quoted(b, request.header("Referer"));
            b.append("\" \"");
            quoted(b, request.header("User-Agent"));
            b.append('"');
        }
        return b.toString();
    }

    /** Escapes quotes, backslashes and control bytes, so a client cannot forge fields or lines. */
    private static void quoted(StringBuilder b, String s) {
        if (s == null || s.isEmpty()) {
            b.append('-');
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
    }
}
