package io.pxj.demo.load;

import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.PxTimer;
import io.pxj.runtime.Transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One load connection on PxJ's own client API: a {@link Protocol} whose callbacks send requests (the return value
 * is the next batch, PyParallel style) and read responses with the pure {@link HttpResponseCounter} or
 * {@link EchoVerifier}, timing them with {@link LoadSchedule}. In fixed-rate mode a pool timer also sends requests
 * whose intended time has come; the connection's state is guarded by its monitor because the timer runs in
 * another context than the connection's callbacks.
 */
final class LoadConnection implements Protocol {
    private final LoadRun run;
    private final LongSupplier clock;
    private LoadSchedule schedule;
    private HttpResponseCounter http;
    private EchoVerifier echo;
    private Transport transport;
    private PxTimer<Void> timer;
    private long messagesSent;
    private long now;
    private boolean closing;

    LoadConnection(LoadRun run) {
        this(run, System::nanoTime);
    }

    @Override
    public ProtocolOptions options() {
        return run.options;
    }

    /** With a nanosecond clock (tests pass a fake one). */
    LoadConnection(LoadRun run, LongSupplier clock) {
        this.run = run;
        this.clock = clock;
    }

    @Override
    public synchronized void connectionMade(ParallelContext ctx, Transport t) {
        transport = t;
        schedule = new LoadSchedule(clock.getAsLong(), run.intervalNanos, run.pipeline);
        if (run.mode == LoadTarget.Mode.HTTP) { http = new HttpResponseCounter(this::onHttpResponse); }
        else { echo = new EchoVerifier(run.size); }
        run.connected.incrementAndGet();
        run.everConnected.incrementAndGet();
        if (schedule.fixedRate()) {
            Duration period = Duration.ofNanos(Math.max(run.intervalNanos, 1_000_000L));
            timer = ctx.runtime().submitTimer(period, period, c -> {
                tick();
                return null;
            });
        }
    }

    @Override
    public synchronized Object initialBytesToSend(ParallelContext ctx, Transport t) {
        return nextBatch(clock.getAsLong());
    }

    @Override
    public Object dataReceived(ParallelContext ctx, Transport t, ByteBuffer data) throws Exception {
        run.bytesReceived.add(data.remaining());
        synchronized (this) {
            now = clock.getAsLong();
            if (http != null) {
                http.feed(data);
                if (http.closeRequested()) { // the server ends keep-alive: stop sending here, reconnect
                    closing = true;
                    t.close();
                    return null;
                }
            } else {
                int done = echo.feed(data);
                for (int i = 0; i < done; i++) {
                    long latency = schedule.complete(now);
                    run.recorded(latency, schedule.lastServiceNanos(), 200);
                }
            }
            return nextBatch(now);
        }
    }

    private void onHttpResponse(int status) {
        long latency = schedule.complete(now);
        run.recorded(latency, schedule.lastServiceNanos(), status);
    }

    /** Fixed rate: the pool timer sends what is due (runs outside the connection's callbacks). */
    private synchronized void tick() {
        if (transport == null || !transport.isOpen()) { return; }
        ByteBuffer batch = nextBatch(clock.getAsLong());
        if (batch != null) { transport.write(batch); }
    }

    /** What to send now, or null; updates the schedule and the byte counter. */
    private ByteBuffer nextBatch(long nanos) {
        if (run.stopping || closing) { return null; }
        int n = schedule.sendable(nanos);
        if (n == 0) { return null; }
        ByteBuffer b;
        if (http != null) {
            b = ByteBuffer.wrap(run.httpBatch, 0, n * run.httpRequestLength).asReadOnlyBuffer();
        } else {
            b = echo.messages(messagesSent, n);
            messagesSent += n;
        }
        run.bytesSent.add(b.remaining());
        return b;
    }

    @Override
    public synchronized void connectionClosed(ParallelContext ctx, Transport t) {
        if (timer != null) { timer.cancel(); }
        run.connected.decrementAndGet();
        if (run.stopping) { return; }
        if (http != null) {
            try {
                http.endOfInput();
            } catch (HttpResponseCounter.HttpParseException e) {
                run.error("connection " + t.id() + ": " + e.getMessage());
            }
        }
        int lost = schedule.inFlight();
        if (lost > 0) {
            run.error("connection " + t.id() + " closed by the server with " + lost + " request(s) unanswered");
        }
        run.toReopen.incrementAndGet();
    }

    @Override
    public void exceptionCaught(ParallelContext ctx, Transport t, String callback, Throwable cause) {
        run.error("connection " + (t == null ? "?" : t.id()) + " (" + callback + "): " + cause.getMessage());
    }

    @Override
    public void connectFailed(ParallelContext ctx, InetSocketAddress remote, Throwable cause) {
        run.connectFailures.incrementAndGet();
        run.error("connect to " + remote + " failed: " + cause);
        if (!run.stopping) { run.toReopen.incrementAndGet(); }
    }
}
