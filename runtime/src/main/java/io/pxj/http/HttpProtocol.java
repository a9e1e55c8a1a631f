package io.pxj.http;

import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.ArenaExhaustedException;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.Transport;
import io.pxj.runtime.spi.support.MemberTable;
import io.pxj.runtime.spi.support.StripedCounter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One HTTP/1.1 connection on the Protocol API: parses requests as they arrive (in place in the receive buffer;
 * a request that straddles reads is assembled in a per-connection scratch array), routes them, and returns
 * every response produced by one read as that callback's return value, in request order (pipelining).
 *
 * <h2>Threading</h2>
 * One instance per connection. The runtime calls its callbacks one at a time; only
 * {@link #checkTimeouts(long)} runs on another thread (the server's maintenance timer). The two are arbitrated
 * by a CAS on {@link #state}: a read claims the connection (BUSY) before touching it, the timer may only move
 * an IDLE / IN_REQUEST / LINGER connection to DONE, so a request can never get both a response and a 408.
 * That CAS is the only per-read overhead: the clock for deadlines is the runtime's read-completion time
 * ({@link Transport#receivedNanos}), read once per read by the runtime.
 *
 * <h2>Timing</h2>
 * With a {@link RequestListener}, each response is timed twice: the handler time around the handler (two clock
 * reads per request), and the server time from the read completion that completed its head to the send
 * completion that carried its last byte ({@link Transport#timeResponse} with the response's end in this
 * callback's output; the runtime reports it back through {@link #responseSent}).
 *
 * <h2>Closing</h2>
 * After an error response (4xx/5xx from framing or limits) the output side is shut down and further input is
 * read and discarded until the peer closes or a short linger expires (nginx's lingering close): closing with
 * unread input would make the kernel send RST and the client could lose the error response.
 */
final class HttpProtocol extends MemberTable.Member implements Protocol {
    private static final int IDLE = 0, IN_REQUEST = 1, BUSY = 2, LINGER = 3, DONE = 4;
    private static final int HEAD_PHASE = 0, BODY_LENGTH = 1, BODY_CHUNKED = 2;
    static final long LINGER_NANOS = 5_000_000_000L;
    /** Scratch and body arrays larger than this are dropped after the request. */
    private static final int KEEP_BYTES = 64 * 1024;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(HttpProtocol.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Per-server settings are read through the server: an idle connection should cost few bytes.
    private final HttpServer server;
    // The request state: held only while a request is being read or answered, else null
    private Exchange exchange;

    private volatile int state = IDLE;
    private volatile long deadline;

    private Transport transport;
    private boolean rejected, closing, lingering;

    HttpProtocol(HttpServer server) {
        this.server = server;
    }

    @Override
    public ProtocolOptions options() {
        return server.protocolOptions();
    }

    @Override
    public void connectionMade(ParallelContext ctx, Transport t) {
        this.transport = t;
        server.stats.count(HttpServerStats.Counter.CONNECTIONS);
        int active = server.stats.active.incrementAndGet();
        int max = server.limits.maxConnections();
        rejected = (max > 0 && active > max) || server.underMemoryPressure();
        // A connection that never sends a byte gets the request timeout, not the (longer) idle timeout.
        deadline = server.nanoTime() + server.requestTimeoutNanos;
        state = IDLE;
        server.register(this);
    }

    @Override
    public void connectionClosed(ParallelContext ctx, Transport t) {
        state = DONE;
        server.unregister(this);
        server.stats.active.decrementAndGet();
        if (exchange != null) {
            exchange.clear();
            giveBack();
        }
    }

    @Override
    public void responseSent(ParallelContext ctx, Transport t, long startNanos, long sentNanos, int status) {
        RequestListener listener = server.listener();
        if (listener != null) { listener.responseSent(status, sentNanos - startNanos); }
    }

    @Override
    public void exceptionCaught(ParallelContext ctx, Transport t, String callback, Throwable cause) {
        if (exchange != null) { exchange.out.discard(); }
        state = DONE;
    }

    @Override
    public Object dataReceived(ParallelContext ctx, Transport t, ByteBuffer data) {
        int s = state;
        if (s >= BUSY || !STATE.compareAndSet(this, s, BUSY)) { return null; } // lingering, timed out or closed
        if (exchange == null) { borrow(); }
        Exchange x = exchange;
        x.completed = 0;
        long readNanos = x.readNanos = t.receivedNanos();
        x.out.begin(ctx);
        x.req.context = ctx;
        process(t, data);
        Object result = x.out.finish(t);
        x.req.context = null;
        long now = server.systemClock() ? readNanos : server.nanoTime();
        boolean between = x.phase == HEAD_PHASE && x.scratch.len == 0;
        if (between && server.exchanges.canPool()) {
            // Between requests the request state goes back to this thread's pool, so an idle connection holds
            // none. The result (a handle of this Output) is queued by the runtime on this thread before any
            // other connection can take the state again. A request that failed was not reset by dispatch.
            if (closing) { x.clear(); }
            giveBack();
        }
        if (closing) {
            if (result != null) { t.write(result); }
            if (lingering) {
                t.shutdownOutput();
                deadline = now + LINGER_NANOS;
                state = LINGER;
            } else {
                t.close();
                state = DONE;
            }
            return null;
        }
        if (!between) {
            // The request timeout runs from the request's first byte; trickling bytes do not extend it.
            if (s != IN_REQUEST || x.completed > 0) { x.requestStartNanos = now; }
            long d = x.requestStartNanos + server.requestTimeoutNanos;
            // A body that stops arriving: the body-read timeout runs from this read.
            if (x.phase != HEAD_PHASE) { d = Math.min(d, now + server.bodyReadTimeoutNanos); }
            deadline = d;
            state = IN_REQUEST;
        } else {
            deadline = now + server.idleTimeoutNanos;
            state = IDLE;
            // Graceful shutdown: between requests is where a draining connection ends. State first, then the
            // flag (HttpServer.drain does the opposite), so one of the two always sees the other.
            if (server.draining() && STATE.compareAndSet(this, IDLE, DONE)) {
                if (result != null) { t.write(result); }
                t.close();
                return null;
            }
        }
        return result;
    }

    /**
     * Maintenance tick (any thread): answers 408 to a request that took too long, closes an idle keep-alive
     * connection, ends a linger. Nothing happens while a response is still being sent.
     */
    void checkTimeouts(long now) {
        int s = state;
        if (s == IDLE && server.draining()) {
            drain();
            return;
        }
        if (s == BUSY || s == DONE || now - deadline < 0) { return; }
        Transport t = transport;
        if (s != LINGER && t.pendingSendBytes() > 0) { return; }
        if (!STATE.compareAndSet(this, s, DONE)) { return; }
        if (s == IN_REQUEST) {
            server.stats.count(HttpServerStats.Counter.REQUEST_TIMEOUTS);
            server.stats.response(408);
            t.write(errorBytes(408));
        } else if (s == IDLE) {
            server.stats.count(HttpServerStats.Counter.IDLE_CLOSES);
        }
        t.close();
    }

    /**
     * Graceful shutdown (any thread): a connection between requests is closed now (gracefully: what is being sent
     * still goes); one in a request is left alone and closes after its response, which says Connection: close.
     */
    void drain() {
        if (state == IDLE && STATE.compareAndSet(this, IDLE, DONE)) { transport.close(); }
    }

    // ------------------------------------------------------------------------------------------------------

    private void process(Transport t, ByteBuffer data) {
        Exchange x = exchange;
        int pos = data.position();
        int limit = data.limit();
        while (!closing) {
            if (x.phase == HEAD_PHASE) {
                if (pos == limit) { return; }
                ByteBuffer src;
                int end;
                if (x.scratch.len == 0) {
                    end = x.parser.findHeadEnd(data, pos, limit);
                    if (end == HttpRequestParser.NEED_MORE) {
                        int rs = x.parser.requestStart();
                        x.scratch.append(data, rs, limit - rs);
                        x.parser.rebase(-rs);
                        return;
                    }
                    if (end < 0) {
                        fail(-end);
                        return;
                    }
                    src = data;
                    pos = end;
                } else {
                    // Copy only what can still belong to this head; the rest is parsed in place afterwards.
                    int old = x.scratch.len;
                    int n = Math.min(limit - pos, Math.max(1, server.maxHeadBytes - old));
                    x.scratch.append(data, pos, n);
                    src = x.scratchView();
                    end = x.parser.findHeadEnd(src, 0, x.scratch.len);
                    if (end == HttpRequestParser.NEED_MORE) {
                        if (pos + n < limit) { fail(431); } // cannot happen: the scan enforces the limits first
                        return;
                    }
                    if (end < 0) {
                        fail(-end);
                        return;
                    }
                    pos += end - old;
                }
                x.headStart = x.parser.requestStart();
                x.headEnd = end;
                x.headNanos = x.readNanos;
                if (rejected) {
                    server.stats.count(HttpServerStats.Counter.REJECTED);
                    fail(503);
                    return;
                }
                int r = x.parser.parseHead(src, x.headStart, end, x.req);
                if (r < 0) {
                    fail(-r);
                    return;
                }
                x.req.transport = t;
                if (x.req.chunked) {
                    x.chunked.reset();
                    x.body.clear();
                    x.phase = BODY_CHUNKED;
                } else if (x.req.contentLength > 0) {
                    long cl = x.req.contentLength;
                    if (limit - pos >= cl) { // the whole body is here: a view, no copy
                        x.req.bodySrc = data;
                        x.req.bodyStart = pos;
                        x.req.bodyLength = (int) cl;
                        pos += (int) cl;
                        dispatch();
                        continue;
                    }
                    x.body.clear();
                    x.remaining = cl;
                    x.phase = BODY_LENGTH;
                } else {
                    dispatch();
                    continue;
                }
                if (x.req.expectContinue && x.req.isHttp11() && pos == limit) {
                    x.out.copy(ResponseEncoder.CONTINUE, 0, ResponseEncoder.CONTINUE.length);
                }
            }
            if (x.phase == BODY_LENGTH) {
                int n = (int) Math.min(x.remaining, limit - pos);
                x.body.append(data, pos, n);
                pos += n;
                x.remaining -= n;
                if (x.remaining > 0) {
                    keepHead(data);
                    return;
                }
            } else {
                pos = x.chunked.feed(data, pos, limit, x.body, server.limits.maxBodyBytes(),
                        server.limits.maxHeaderBytes());
                if (x.chunked.error() != 0) {
                    fail(x.chunked.error());
                    return;
                }
                if (!x.chunked.isDone()) {
                    keepHead(data);
                    return;
                }
            }
            x.req.bodySrc = x.bodyView();
            x.req.bodyStart = 0;
            x.req.bodyLength = x.body.len;
            dispatch();
        }
    }

    /** The body continues in a later read: the head must survive this one, so move it to the scratch. */
    private void keepHead(ByteBuffer data) {
        Exchange x = exchange;
        if (x.req.src != data) { return; } // already in the scratch
        x.scratch.clear();
        x.scratch.append(data, x.headStart, x.headEnd - x.headStart);
        x.req.rebase(x.scratchView(), -x.headStart);
        x.headEnd -= x.headStart;
        x.headStart = 0;
    }

    private void borrow() {
        exchange = server.exchanges.take();
    }

    /** Returns the request state (reset between requests by {@link #dispatch}) and forgets it. */
    private void giveBack() {
        Exchange x = exchange;
        x.parser.reset(); // a started scan may hold a position into this read's buffer
        x.req.transport = null; // a pooled exchange must not keep this connection reachable
        x.req.context = null;
        server.exchanges.give(x);
        exchange = null;
    }

    /**
     * The objects one request needs: parser, request, response, output, body and scratch arrays. A connection
     * holds one only while a request is being read or answered (nginx likewise frees its request buffers on idle
     * keep-alive connections); between requests it goes back to an {@link ExchangePool}.
     */
    static final class Exchange {
        final HttpRequestParser parser;
        final HttpRequest req = new HttpRequest();
        final HttpResponse res = new HttpResponse();
        final Output out = new Output();
        final ChunkedDecoder chunked = new ChunkedDecoder();
        final GrowableBytes scratch = new GrowableBytes(1024);
        final GrowableBytes body = new GrowableBytes(1024);
        final JsonWriter json = new JsonWriter();
        // where the request being read stands
        int phase = HEAD_PHASE;
        int headStart, headEnd;
        long remaining;           // body bytes still to come (Content-Length)
        long requestStartNanos;
        long readNanos;           // the read completion that delivered the bytes being processed
        long headNanos;           // the read completion that completed the current request's head
        int completed;            // requests completed by the current read
        private ByteBuffer scratchView;   // heap views of scratch.buf and body.buf, re-made when an array is replaced
        private ByteBuffer bodyView;

        Exchange(HttpLimits limits) {
            parser = new HttpRequestParser(limits);
        }

        ByteBuffer scratchView() {
            if (scratchView == null || scratchView.array() != scratch.buf) {
                scratchView = ByteBuffer.wrap(scratch.buf);
            }
            return scratchView;
        }

        ByteBuffer bodyView() {
            if (bodyView == null || bodyView.array() != body.buf) { bodyView = ByteBuffer.wrap(body.buf); }
            return bodyView;
        }

        /** A trimmed array must not stay reachable through its old view while pooled. */
        void dropStaleViews() {
            if (scratchView != null && scratchView.array() != scratch.buf) { scratchView = null; }
            if (bodyView != null && bodyView.array() != body.buf) { bodyView = null; }
        }

        /** A connection closed with a request in progress: forget it before anyone else uses this state. */
        void clear() {
            out.discard();
            req.reset();
            res.reset();
            parser.reset();
            scratch.trim(KEEP_BYTES);
            body.trim(KEEP_BYTES);
            phase = HEAD_PHASE;
            remaining = 0;
            dropStaleViews();
        }
    }

    /**
     * Request state for the connections of one server, kept per thread: a thread with a counter slot (an nio
     * event loop, {@link StripedCounter.Owner}) keeps a small stack of its own, so taking and giving back costs
     * no atomic operation and no allocation in steady state, and an Output handle just returned by a callback
     * is not re-pointed by another thread before the runtime queued it. Other threads (the windows pool) do not
     * pool: their connections keep their state.
     *
     * <p>Threading: a slot's stack is touched only by the thread that owns the slot.
     */
    static final class ExchangePool {
        private static final int SLOTS = StripedCounter.SLOTS;
        private static final int DEPTH = 32;
        private final HttpLimits limits;
        private final Exchange[][] stacks = new Exchange[SLOTS][];
        private final int[] depth = new int[SLOTS];

        ExchangePool(HttpLimits limits) {
            this.limits = limits;
        }

        Exchange take() {
            int s = StripedCounter.currentSlot();
            if (s >= 0 && depth[s] > 0) {
                Exchange x = stacks[s][--depth[s]];
                stacks[s][depth[s]] = null;
                return x;
            }
            return new Exchange(limits);
        }

        /** Keeps {@code x} for the next request on this thread; false when this thread does not pool. */
        boolean canPool() {
            return StripedCounter.currentSlot() >= 0;
        }

        void give(Exchange x) {
            int s = StripedCounter.currentSlot();
            if (s < 0) { return; }
            if (stacks[s] == null) { stacks[s] = new Exchange[DEPTH]; }
            if (depth[s] < DEPTH) { stacks[s][depth[s]++] = x; }
        }
    }



    private void dispatch() {
        Exchange x = exchange;
        x.completed++;
        server.stats.requests.increment();
        RequestListener listener = server.listener();
        long t0 = listener == null ? 0 : System.nanoTime();
        int status = respond();
        server.stats.response(status);
        if (listener != null) {
            listener.requestCompleted(x.req, status, System.nanoTime() - t0);
            transport.timeResponse(x.out.length(), x.headNanos, status);
        }
        if (!x.req.keepAlive || server.draining()) { closing = true; }
        x.req.reset();
        x.res.reset();
        x.phase = HEAD_PHASE;
        x.parser.reset();
        x.scratch.trim(KEEP_BYTES);
        x.body.trim(KEEP_BYTES);
        x.dropStaleViews();
    }

    private int respond() {
        Exchange x = exchange;
        Router.Route route = server.router().match(x.req);
        if (route == null) { return error(404, false, null); }
        HttpHandler h = route.handler(x.req.method);
        if (h == null) { return error(405, false, List.of("Allow", route.allow)); }
        x.res.reset();
        Object result;
        try {
            result = h.handle(x.req, x.res);
            return write(result);
        } catch (HttpException e) {
            return error(e.status(), false, null);
        } catch (Exception e) {
            server.stats.count(HttpServerStats.Counter.HANDLER_ERRORS);
            server.stats.lastHandlerError = e;
            return error(500, true, null);
        }
    }

    private int write(Object r) {
        Exchange x = exchange;
        boolean head = x.req.method == HttpMethod.HEAD;
        if (r == null) {
            if (x.res.touched) { return write(x.res, head); }
            return writeBytes(204, null, null, head);
        }
        if (r instanceof HttpResponse response) { return write(response, head); }
        if (r instanceof FixedResponse f) {
            ArenaBuffer b = x.out.room(f.encodedLength());
            f.writeTo(b, server.date().bytes(), connection(), head);
            return f.status();
        }
        if (r instanceof byte[] b) { return writeBytes(200, "text/plain", b, head); }
        if (r instanceof CharSequence cs) {
            return writeBytes(200, "text/html; charset=utf-8", cs.toString().getBytes(StandardCharsets.UTF_8), head);
        }
        if (r instanceof ByteBuffer bb) {
            x.res.reset();
            x.res.body(bb).contentType("text/plain");
            return write(x.res, head);
        }
        x.res.reset();
        x.res.json(r);
        return write(x.res, head);
    }

    private int writeBytes(int status, String contentType, byte[] b, boolean head) {
        Exchange x = exchange;
        long len = b == null ? 0 : b.length;
        boolean bodyless = HttpStatus.bodyless(status);
        boolean copied = !head && !bodyless && len <= Output.COPY_THRESHOLD;
        // Room for the head and a copied body at once: an arena failure must come before the head is written.
        ArenaBuffer buf = x.out.room(ResponseEncoder.headLength(status, contentType, null) + (copied ? (int) len : 0));
        ResponseEncoder.writeHead(buf, status, server.date().bytes(), contentType, bodyless ? -1 : len, null,
                connection());
        if (!head && !bodyless && b != null) { x.out.body(b, 0, b.length); }
        return status;
    }

    private int write(HttpResponse r, boolean head) {
        Exchange x = exchange;
        int status = r.status();
        boolean bodyless = HttpStatus.bodyless(status);
        long len;
        switch (r.bodyKind) {
            case HttpResponse.BYTES -> len = r.bytes.length;
            case HttpResponse.BUFFER -> len = r.buffer.remaining();
            case HttpResponse.JSON -> {
                x.json.reset().write(r.json); // before any output: a failure here still yields a clean 500
                len = x.json.length();
            }
            case HttpResponse.FILE -> len = r.fileLength;
            default -> len = 0;
        }
        // Room for the head and whatever body is copied, at once: if the arena refuses (ArenaExhaustedException),
        // it must refuse before a head is written, or the 500 that follows would land inside a 200's body.
        long copied = head || bodyless ? 0 : switch (r.bodyKind) {
            case HttpResponse.JSON -> len;
            case HttpResponse.BYTES, HttpResponse.BUFFER -> len <= Output.COPY_THRESHOLD ? len : 0;
            default -> 0;
        };
        int headLength = ResponseEncoder.headLength(status, r.contentType, r.headers);
        if (headLength + copied > Integer.MAX_VALUE) {
            throw new ArenaExhaustedException("response of " + len + " bytes");
        }
        ArenaBuffer buf = x.out.room(headLength + (int) copied);
        ResponseEncoder.writeHead(buf, status, server.date().bytes(), bodyless ? null : r.contentType,
                bodyless ? -1 : len, r.headers, connection());
        if (head || bodyless) { return status; }
        switch (r.bodyKind) {
            case HttpResponse.BYTES -> x.out.body(r.bytes, 0, r.bytes.length);
            case HttpResponse.BUFFER -> x.out.body(r.buffer);
            case HttpResponse.JSON -> {
                x.out.copy(x.json.array(), 0, x.json.length());
                x.json.trim(KEEP_BYTES);
            }
            case HttpResponse.FILE -> {
                if (len > 0) { x.out.file(r.file, r.fileOffset, len); }
            }
            default -> { }
        }
        return status;
    }

    /** The Connection header this response needs. */
    private int connection() {
        Exchange x = exchange;
        if (closing || !x.req.keepAlive || server.draining()) { return ResponseEncoder.CONN_CLOSE; }
        return x.req.isHttp11() ? ResponseEncoder.CONN_DEFAULT : ResponseEncoder.CONN_KEEP_ALIVE;
    }

    /** A request-level failure: error response, then no further requests on this connection. */
    private void fail(int status) {
        Exchange x = exchange;
        lingering = true;
        int s = error(status, true, null);
        server.stats.response(s);
        RequestListener listener = server.listener();
        if (listener != null) {
            listener.requestCompleted(x.req, s, 0);
            transport.timeResponse(x.out.length(), x.readNanos, s);
        }
    }

    /** Writes a small text/plain error response; {@code close} ends the connection after it. */
    private int error(int status, boolean close, List<String> headers) {
        Exchange x = exchange;
        if (close) { closing = true; }
        byte[] text = errorText(status);
        String type = "text/plain; charset=utf-8";
        boolean head = x.req.method == HttpMethod.HEAD;
        ArenaBuffer buf = x.out.room(ResponseEncoder.headLength(status, type, headers));
        ResponseEncoder.writeHead(buf, status, server.date().bytes(), type, text.length, headers,
                close || x.req.method == null ? ResponseEncoder.CONN_CLOSE : connection());
        if (!head) { x.out.copy(text, 0, text.length); }
        return status;
    }

    /** "404 Not Found\n" and friends, encoded once. */
    private static final byte[][] ERROR_TEXT = new byte[600][];

    static {
        for (int s = 100; s < 600; s++) {
            ERROR_TEXT[s] = (s + " " + HttpStatus.reason(s) + "\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static byte[] errorText(int status) {
        return ERROR_TEXT[status];
    }

    /** A complete error response on the heap (for the timer thread, which has no use of this arena). */
    private byte[] errorBytes(int status) {
        String text = status + " " + HttpStatus.reason(status) + "\n";
        String head = new String(HttpStatus.statusLine(status), StandardCharsets.US_ASCII)
                + "Server: pxj\r\nDate: " + server.date() + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + text.length() + "\r\nConnection: close\r\n\r\n";
        return (head + text).getBytes(StandardCharsets.US_ASCII);
    }
}
