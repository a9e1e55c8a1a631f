package io.pxj.hardening;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Raw-socket HTTP/1.1 client helpers for the hardening tests (loopback only; every read has a timeout). */
final class Raw {
    static final int READ_TIMEOUT_MS = 10_000;
    static final int SERVER_CLOSE_TIMEOUT_MS = 4_000;
    static final byte[] GET = "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] GET_CLOSE = "GET /plaintext HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private Raw() {}

    static Socket connect(InetSocketAddress a) throws IOException {
        Socket s = new Socket();
        s.connect(a, 5_000);
        s.setSoTimeout(READ_TIMEOUT_MS);
        s.setTcpNoDelay(true);
        return s;
    }

    /**
     * Sends {@code request}, half-closes, reads to EOF. A write failure (the server answered and closed while
     * we were still sending) is ignored: what it answered is still read.
     */
    static String exchange(InetSocketAddress a, byte[] request) throws IOException {
        try (Socket s = connect(a)) {
            try {
                s.getOutputStream().write(request);
                s.shutdownOutput();
            } catch (IOException ignored) {
                // answered early and closed: read what came
            }
            return readToEof(s.getInputStream());
        }
    }

    /**
     * Sends {@code request} and reads to EOF without half-closing: EOF then means the server closed on its own,
     * within {@link #SERVER_CLOSE_TIMEOUT_MS} (shorter than the 5 s lingering drain, so only a server that shut its
     * output at once passes). A write failure (answered and closed while we were still sending) is ignored.
     */
    static String exchangeUntilServerCloses(InetSocketAddress a, byte[] request) throws IOException {
        try (Socket s = connect(a)) {
            s.setSoTimeout(SERVER_CLOSE_TIMEOUT_MS);
            try {
                s.getOutputStream().write(request);
            } catch (IOException ignored) {
                // answered early and closed: read what came
            }
            return readToEof(s.getInputStream());
        }
    }

    static String readToEof(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        try {
            for (int n; (n = in.read(b)) >= 0; ) out.write(b, 0, n);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no EOF within the read timeout; got: "
                    + out.toString(StandardCharsets.ISO_8859_1), e);
        } catch (IOException reset) {
            // a reset after the response (e.g. lingering close ended): keep what arrived
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** One GET /plaintext with Connection: close on a new connection; the status (-1: no response). */
    static int getStatus(InetSocketAddress a) throws IOException {
        List<Resp> r = parse(exchange(a, GET_CLOSE));
        return r.isEmpty() ? -1 : r.get(0).status();
    }

    /** Reads one response (head and Content-Length body) from a keep-alive connection. */
    static Resp readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) throw new IOException("EOF in response head: " + head);
            head.append((char) c);
        }
        Resp h = parse(head.toString(), true).get(0);
        String cl = h.header("content-length");
        int len = cl == null ? 0 : Integer.parseInt(cl);
        String body = new String(in.readNBytes(len), StandardCharsets.ISO_8859_1);
        return new Resp(h.status(), h.headers(), body);
    }

    record Resp(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    static List<Resp> parse(String raw) {
        return parse(raw, false);
    }

    /** Consecutive responses delimited by Content-Length (heads only when {@code headOnly}). */
    static List<Resp> parse(String raw, boolean headOnly) {
        List<Resp> out = new ArrayList<>();
        int i = 0;
        while (i < raw.length()) {
            int end = raw.indexOf("\r\n\r\n", i);
            if (end < 0) throw new AssertionError("incomplete response head: " + raw.substring(i));
            String[] lines = raw.substring(i, end).split("\r\n");
            if (!lines[0].startsWith("HTTP/1.1 ")) throw new AssertionError("not a status line: " + lines[0]);
            Map<String, String> h = new LinkedHashMap<>();
            for (int k = 1; k < lines.length; k++) {
                int c = lines[k].indexOf(':');
                h.put(lines[k].substring(0, c).toLowerCase(Locale.ROOT), lines[k].substring(c + 1).trim());
            }
            int status = Integer.parseInt(lines[0].substring(9, 12));
            i = end + 4;
            int len = headOnly || status == 204 || status == 304 || status < 200 || !h.containsKey("content-length")
                    ? 0 : Integer.parseInt(h.get("content-length"));
            if (i + len > raw.length()) throw new AssertionError("body shorter than Content-Length: " + raw);
            out.add(new Resp(status, h, raw.substring(i, i + len)));
            i += len;
        }
        return out;
    }
}
