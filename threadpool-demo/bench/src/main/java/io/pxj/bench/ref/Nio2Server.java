package io.pxj.bench.ref;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain NIO.2 server ({@link AsynchronousServerSocketChannel} on a fixed group of cores threads): HTTP/1.1 with
 * keep-alive and pipelining (every complete request in a read is answered, the answers leave in one gathering
 * write), minimal but correct parsing (request line, Connection and Content-Length headers, 400/404/405/431),
 * static files from memory; and an echo port.
 *
 * <pre>java -cp pxj-bench.jar io.pxj.bench.ref.Nio2Server --port 8083 [--echo-port 9083] [--threads N] [--root
 * DIR]</pre>
 */
public final class Nio2Server {
    private static final String USAGE = "Nio2Server --port P [--echo-port E] [--threads N] [--root DIR]";
    private static final int IN_SIZE = 16 * 1024;

    private Nio2Server() {}

    public static void main(String[] args) throws Exception {
        RefArgs a = RefArgs.parse(args, USAGE);
        int port = a.getInt("port", 8080);
        int echoPort = a.getInt("echo-port", 0);
        Path root = a.root();
        AtomicInteger n = new AtomicInteger();
        AsynchronousChannelGroup group = AsynchronousChannelGroup.withFixedThreadPool(a.threads(),
                r -> new Thread(r, "nio2-" + n.incrementAndGet()));
        AsynchronousServerSocketChannel http = listen(group, port);
        accept(http, ch -> new HttpConnection(ch, root).start());
        String echoText = "";
        if (echoPort > 0) {
            AsynchronousServerSocketChannel echo = listen(group, echoPort);
            accept(echo, ch -> new EchoConnection(ch).start());
            echoText = ", echo on " + echo.getLocalAddress();
        }
        System.out.println("nio2 http on " + http.getLocalAddress() + echoText + ", group of " + a.threads()
                + " thread(s)");
        Thread.currentThread().join(); // the group's threads do the work; the process ends when killed
    }

    private static AsynchronousServerSocketChannel listen(AsynchronousChannelGroup group, int port) throws IOException {
        AsynchronousServerSocketChannel s = AsynchronousServerSocketChannel.open(group);
        s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        return s.bind(new InetSocketAddress(port), 8192);
    }

    private static void accept(AsynchronousServerSocketChannel server,
            java.util.function.Consumer<AsynchronousSocketChannel> onAccept) {
        server.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
            @Override
            public void completed(AsynchronousSocketChannel ch, Void att) {
                server.accept(null, this);
                try {
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                } catch (IOException e) {
                    close(ch);
                    return;
                }
                onAccept.accept(ch);
            }

            @Override
            public void failed(Throwable exc, Void att) {
                if (server.isOpen()) { server.accept(null, this); }
            }
        });
    }

    static void close(AsynchronousSocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** One HTTP connection: read, answer every complete request, write the answers in one go, read again. */
    static final class HttpConnection {
        private static final byte[] NOT_FOUND = "404 Not Found".getBytes(StandardCharsets.US_ASCII);
        private final AsynchronousSocketChannel ch;
        private final Path root;
        private final ByteBuffer in = ByteBuffer.allocate(IN_SIZE);
        private ByteBuffer head = ByteBuffer.allocate(4096);
        private final List<ByteBuffer> segments = new ArrayList<>();
        private int headMark; // start of the not yet segmented part of 'head'
        private boolean closeAfterWrite;
        private ByteBuffer[] writing;

        private final CompletionHandler<Integer, Void> onRead = new CompletionHandler<>() {
            @Override
            public void completed(Integer n, Void att) {
                if (n < 0) {
                    close(ch);
                    return;
                }
                process();
            }

            @Override
            public void failed(Throwable exc, Void att) {
                close(ch);
            }
        };

        private final CompletionHandler<Long, Void> onWrite = new CompletionHandler<>() {
            @Override
            public void completed(Long n, Void att) {
                for (ByteBuffer b : writing) {
                    if (b.hasRemaining()) {
                        ch.write(writing, 0, writing.length, 0, null, null, this);
                        return;
                    }
                }
                writing = null;
                if (closeAfterWrite) { close(ch); }
                else { process(); } // requests may still wait in 'in' (a batch bigger than one write)
            }

            @Override
            public void failed(Throwable exc, Void att) {
                close(ch);
            }
        };

        HttpConnection(AsynchronousSocketChannel ch, Path root) {
            this.ch = ch;
            this.root = root;
        }

        void start() {
            ch.read(in, null, onRead);
        }

        /** 'in' is in write mode (filled up to position). Answers what is complete, then writes or reads. */
        private void process() {
            in.flip();
            while (!closeAfterWrite) {
                int end = headerEnd(in);
                if (end < 0) {
                    if (in.remaining() == in.capacity()) { // headers do not fit: 431 and close
                        closeAfterWrite = true;
                        respond(431, null, null);
                    }
                    break;
                }
                if (!request(end)) { break; } // body not complete yet
            }
            in.compact();
            if (head.position() > headMark || !segments.isEmpty()) { flush(); }
            else if (closeAfterWrite) { close(ch); }
            else { ch.read(in, null, onRead); }
        }

        /** Index just past the CRLFCRLF ending the headers that start at in.position(), or -1. */
        private static int headerEnd(ByteBuffer b) {
            byte[] a = b.array();
            int from = b.arrayOffset() + b.position();
            int to = b.arrayOffset() + b.limit() - 3;
            for (int i = from; i < to; i++) {
                if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                    return i + 4 - b.arrayOffset();
                }
            }
            return -1;
        }

        /** Handles the request whose headers are in[position, end); false if its body has not all arrived. */
        private boolean request(int end) {
            byte[] a = in.array();
            int start = in.position();
            int lineEnd = indexOf(a, start, end, (byte) '\r');
            int sp1 = indexOf(a, start, lineEnd, (byte) ' ');
            int sp2 = sp1 < 0 ? -1 : indexOf(a, sp1 + 1, lineEnd, (byte) ' ');
            if (sp1 <= start || sp2 <= sp1 + 1) {
                closeAfterWrite = true;
                respond(400, null, null);
                in.position(end);
                return true;
            }
            String version = new String(a, sp2 + 1, lineEnd - sp2 - 1, StandardCharsets.US_ASCII);
            boolean keepAlive = version.equals("HTTP/1.1");
            long contentLength = 0;
            for (int p = lineEnd + 2; p < end - 2; ) {
                int e = indexOf(a, p, end, (byte) '\r');
                int colon = indexOf(a, p, e, (byte) ':');
                if (colon > p) {
                    String name = new String(a, p, colon - p, StandardCharsets.US_ASCII);
                    if (name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("content-length")) {
                        String value = new String(a, colon + 1, e - colon - 1, StandardCharsets.US_ASCII).trim();
                        if (name.equalsIgnoreCase("connection")) {
                            if (value.equalsIgnoreCase("close")) { keepAlive = false; }
                            else if (value.equalsIgnoreCase("keep-alive")) { keepAlive = true; }
                        } else {
                            try {
                                contentLength = Long.parseLong(value);
                            } catch (NumberFormatException ex) {
                                contentLength = -1;
                            }
                        }
                    }
                }
                p = e + 2;
            }
            if (contentLength < 0 || contentLength > IN_SIZE / 2) {
                closeAfterWrite = true;
                respond(400, null, null);
                in.position(end);
                return true;
            }
            if (in.limit() - end < contentLength) { return false; } // wait for the body (ignored once here)
            in.position(end + (int) contentLength);
            if (!keepAlive) { closeAfterWrite = true; }
            boolean get = sp1 - start == 3 && a[start] == 'G' && a[start + 1] == 'E' && a[start + 2] == 'T';
            String path = new String(a, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.US_ASCII);
            if (!get) { respond(405, null, null); }
            else if (path.equals("/plaintext")) { respond(200, "text/plain", RefHttp.PLAINTEXT); }
            else if (path.equals("/json")) { respond(200, "application/json", RefHttp.json()); }
            else {
                byte[] file = RefHttp.staticBytes(root, path);
                if (file == null) { respond(404, "text/plain", NOT_FOUND); }
                else { respond(200, "application/octet-stream", file); }
            }
            return true;
        }

        private static int indexOf(byte[] a, int from, int to, byte b) {
            for (int i = from; i < to; i++) { if (a[i] == b) { return i; } }
            return -1;
        }

        /** Appends a response: headers (and small bodies) into 'head'; big bodies as their own segment. */
        private void respond(int status, String type, byte[] body) {
            int length = body == null ? 0 : body.length;
            StringBuilder h = new StringBuilder(160);
            h.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
            if (type != null) { h.append("Content-Type: ").append(type).append("\r\n"); }
            h.append("Content-Length: ").append(length).append("\r\n")
                    .append("Server: ").append(RefHttp.SERVER).append("\r\n")
                    .append("Date: ").append(RefHttp.date()).append("\r\n");
            if (closeAfterWrite) { h.append("Connection: close\r\n"); }
            h.append("\r\n");
            put(h.toString().getBytes(StandardCharsets.US_ASCII));
            if (length > 1024) {
                segments.add(ByteBuffer.wrap(head.array(), headMark, head.position() - headMark));
                segments.add(ByteBuffer.wrap(body));
                headMark = head.position();
            } else if (length > 0) {
                put(body);
            }
        }

        private void put(byte[] b) {
            if (head.remaining() < b.length) {
                // Earlier segments keep viewing the old array; continue in a new one.
                if (head.position() > headMark) {
                    segments.add(ByteBuffer.wrap(head.array(), headMark, head.position() - headMark));
                }
                head = ByteBuffer.allocate(Math.max(head.capacity(), b.length * 2));
                headMark = 0;
            }
            head.put(b);
        }

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 400 -> "Bad Request";
                case 404 -> "Not Found";
                case 405 -> "Method Not Allowed";
                case 431 -> "Request Header Fields Too Large";
                default -> "Error";
            };
        }

        private void flush() {
            if (head.position() > headMark) {
                segments.add(ByteBuffer.wrap(head.array(), headMark, head.position() - headMark));
            }
            writing = segments.toArray(new ByteBuffer[0]);
            segments.clear();
            head.clear();
            headMark = 0;
            ch.write(writing, 0, writing.length, 0, null, null, onWrite);
        }
    }

    /** Echo: read, write it all back, read again. */
    static final class EchoConnection implements CompletionHandler<Integer, Boolean> {
        private final AsynchronousSocketChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);

        EchoConnection(AsynchronousSocketChannel ch) {
            this.ch = ch;
        }

        void start() {
            ch.read(buf, Boolean.TRUE, this);
        }

        @Override
        public void completed(Integer n, Boolean reading) {
            if (n < 0) {
                close(ch);
                return;
            }
            if (reading) { buf.flip(); }
            if (buf.hasRemaining()) {
                ch.write(buf, Boolean.FALSE, this);
            } else {
                buf.clear();
                ch.read(buf, Boolean.TRUE, this);
            }
        }

        @Override
        public void failed(Throwable exc, Boolean reading) {
            close(ch);
        }
    }
}
