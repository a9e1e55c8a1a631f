package io.pxj.runtime.nio;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK transport's poller: a {@link Selector} whose keys carry their channel, listener or connect as the
 * attachment, plus the loop's {@link DeferredCloses}.
 *
 * <p>Selected keys are consumed with {@link Selector#select(Consumer, long)}, which does not build a selected-key
 * set: no iterator or set garbage per wake-up.
 *
 * <p>Threading: confined to the owning loop thread, except {@link #wakeup()}.
 */
final class JdkPoller extends Poller {
    private static final Logger LOG = LoggerFactory.getLogger(JdkPoller.class);

    private final EventLoop loop;
    final Selector selector;
    final DeferredCloses deferredCloses = new DeferredCloses();
    private final Consumer<SelectionKey> onKey = this::onKey;

    JdkPoller(EventLoop loop) throws IOException {
        this.loop = loop;
        this.selector = Selector.open();
    }

    @Override
    int pendingCloses() {
        return deferredCloses.size();
    }

    @Override
    void poll(long timeoutMillis) throws IOException {
        if (timeoutMillis == 0) { selector.selectNow(onKey); }
        else if (timeoutMillis < 0) { selector.select(onKey); }
        else { selector.select(onKey, timeoutMillis); }
    }

    @Override
    void afterPoll(int closable) {
        deferredCloses.closeFirst(closable); // their keys, cancelled before this select, are deregistered now
    }

    @Override
    void wakeup() {
        selector.wakeup();
    }

    @Override
    void close() {
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("selector close failed", e);
        }
        deferredCloses.closeAll();
    }

    private void onKey(SelectionKey k) {
        loop.stampWake();
        Object a = k.attachment();
        try {
            if (a instanceof NioChannel c) { c.onReady(k.readyOps()); }
            else if (a instanceof NioListener l) { l.onAcceptable(); }
            else if (a instanceof JdkTransport.Connecting c) { c.onConnectable(); }
        } catch (Throwable t) {
            LOG.error("{}: error handling a selected key (the loop continues)", loop.thread.getName(), t);
        }
    }
}
