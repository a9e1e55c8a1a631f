package io.pxj.http;

import io.pxj.testfakes.FakeContext;
import io.pxj.testfakes.FakeTransport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Drives one {@link HttpProtocol} like the runtime would: each read lands in one reused receive buffer that is
 * scribbled over after the callback (catching retained views), the return value is "sent", then the arena is
 * rolled back (catching arena escapes).
 */
final class HttpConn {
    final HttpServer server;
    final FakeTransport transport = new FakeTransport();
    final FakeContext ctx = new FakeContext(transport);
    final HttpProtocol protocol;
    private final ByteBuffer receive;

    HttpConn(HttpServer server) {
        this(server, ByteBuffer.allocateDirect(64 * 1024));
    }

    /** With a caller-supplied (reusable) receive buffer, for tests that make many connections. */
    HttpConn(HttpServer server, ByteBuffer receive) {
        this.server = server;
        this.receive = receive;
        this.protocol = (HttpProtocol) server.newProtocol();
        protocol.connectionMade(ctx, transport);
    }

    /** Feeds each chunk as one read; returns everything sent meanwhile. */
    String feed(String... reads) {
        for (String r : reads) feed(r.getBytes(StandardCharsets.ISO_8859_1));
        return transport.take();
    }

    void feed(byte[] read) {
        receive.clear();
        receive.put(read).flip();
        Object result = protocol.dataReceived(ctx, transport, receive);
        transport.send(result);
        ctx.rollback();
        // Scribble over what was read: a view kept past the callback now sees garbage.
        receive.clear();
        for (int i = 0; i < read.length; i++) receive.put(i, (byte) 'X');
    }

    void close() {
        protocol.connectionClosed(ctx, transport);
    }

    /** A parsed response. */
    record Resp(String statusLine, int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Parses consecutive responses; bodies by Content-Length (no body when {@code headOnly}). */
    static List<Resp> parse(String raw, boolean headOnly) {
        List<Resp> out = new ArrayList<>();
        int i = 0;
        while (i < raw.length()) {
            int end = raw.indexOf("\r\n\r\n", i);
            if (end < 0) throw new AssertionError("incomplete response head: " + raw.substring(i));
            String[] lines = raw.substring(i, end).split("\r\n");
            Map<String, String> h = new LinkedHashMap<>();
            for (int k = 1; k < lines.length; k++) {
                int c = lines[k].indexOf(':');
                String name = lines[k].substring(0, c).toLowerCase(Locale.ROOT);
                if (h.containsKey(name)) throw new AssertionError("duplicate header " + name);
                h.put(name, lines[k].substring(c + 1).trim());
            }
            int status = Integer.parseInt(lines[0].substring(9, 12));
            i = end + 4;
            int len = h.containsKey("content-length") ? Integer.parseInt(h.get("content-length")) : 0;
            if (headOnly || status == 304 || status == 204 || status < 200) len = 0;
            if (i + len > raw.length()) throw new AssertionError("body shorter than Content-Length");
            out.add(new Resp(lines[0], status, h, raw.substring(i, i + len)));
            i += len;
        }
        return out;
    }

    static List<Resp> parse(String raw) {
        return parse(raw, false);
    }

    static Resp one(String raw) {
        List<Resp> r = parse(raw);
        if (r.size() != 1) throw new AssertionError("expected one response, got " + r.size() + ": " + raw);
        return r.get(0);
    }
}
