package io.pxj.runtime.nio;

import java.io.IOException;

/**
 * A loop's source of readiness: the JDK's {@link java.nio.channels.Selector} ({@link JdkTransport}) or a native
 * epoll instance ({@link EpollTransport}). It reports each ready registration to its attachment: a channel's
 * {@link NioChannel#onReady}, a listener's {@link NioListener#onAcceptable} or a connect's completion.
 *
 * <p>Threading: confined to the owning loop thread, except {@link #wakeup()} (thread-safe).
 */
abstract class Poller {
    /** Sockets closed by the loop after the next poll: read before polling, passed to {@link #afterPoll}. */
    int pendingCloses() {
        return 0;
    }

    /**
     * Waits for readiness and reports it: {@code timeoutMillis} -1 blocks, 0 does not wait. A wake-up ends the
     * wait. Each report first calls {@link EventLoop#stampWake()}.
     */
    abstract void poll(long timeoutMillis) throws IOException;

    /** After {@link #poll}: closes the first {@code closable} sockets queued for it (those its poll deregistered). */
    void afterPoll(int closable) {
    }

    abstract void wakeup();

    /** On loop stop, after every channel and listener closed: releases the poller and what waits on it. */
    abstract void close();
}
