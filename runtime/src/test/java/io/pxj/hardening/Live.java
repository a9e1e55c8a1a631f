package io.pxj.hardening;

import io.pxj.http.HttpServer;
import io.pxj.runtime.Px;
import io.pxj.testfakes.LivePx;

import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;

/** A running HTTP server on loopback for the hardening tests, plus polling helpers. */
final class Live implements AutoCloseable {
    final LivePx<HttpServer.Running> px;
    final HttpServer.Running running;
    final InetSocketAddress addr;

    private Live(LivePx<HttpServer.Running> px) {
        this.px = px;
        this.running = px.value();
        this.addr = running.localAddress();
    }

    static Live start(Px.Builder builder, HttpServer http) throws Exception {
        return new Live(LivePx.start(builder, p -> http.start(p, new InetSocketAddress("127.0.0.1", 0))));
    }

    Px px() {
        return px.px();
    }

    @Override
    public void close() {
        running.close();
        px.close();
    }

    /** Polls {@code cond} every 20 ms until true or {@code millis} passed; true if it became true. */
    static boolean eventually(long millis, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) return false;
            Thread.sleep(20);
        }
        return true;
    }
}
