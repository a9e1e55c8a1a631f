package io.pxj.runtime.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pxj.runtime.spi.Channel;
import io.pxj.runtime.spi.ConnectionHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Records handler events; hooks script what the "core" does in each; fails on overlapping calls. */
final class TestHandler implements ConnectionHandler {
    final List<String> events = new ArrayList<>();
    final AtomicInteger inCall = new AtomicInteger();
    Channel channel;
    Throwable failure;
    Consumer<TestHandler> onOpened = h -> {};
    Consumer<TestHandler> onReceived = h -> {};
    Consumer<TestHandler> onSent = h -> {};
    Consumer<TestHandler> onInputClosed = h -> {};
    Consumer<TestHandler> onFailed = h -> h.channel.close(true);

    private void enter() {
        assertEquals(1, inCall.incrementAndGet(), "handler calls overlap");
    }

    private void exit() {
        inCall.decrementAndGet();
    }

    @Override
    public void opened(Channel c) {
        enter();
        try {
            channel = c;
            events.add("opened");
            onOpened.accept(this);
        } finally {
            exit();
        }
    }

    @Override
    public void connectFailed(Throwable cause) {
        enter();
        failure = cause;
        events.add("connectFailed");
        exit();
    }

    @Override
    public void received(int bytes, long readyNanos) {
        enter();
        try {
            events.add("received " + bytes);
            onReceived.accept(this);
        } finally {
            exit();
        }
    }

    /** Lends one direct buffer per lean read; the tests that use lean reads read what it holds. */
    java.nio.ByteBuffer lent;

    @Override
    public java.nio.ByteBuffer receiveBuffer() {
        lent = java.nio.ByteBuffer.allocateDirect(4096);
        events.add("receiveBuffer");
        return lent;
    }

    @Override
    public void inputClosed() {
        enter();
        try {
            events.add("inputClosed");
            onInputClosed.accept(this);
        } finally {
            exit();
        }
    }

    @Override
    public void sendCompleted(long bytes) {
        enter();
        try {
            events.add("sent " + bytes);
            onSent.accept(this);
        } finally {
            exit();
        }
    }

    @Override
    public void failed(Throwable cause) {
        enter();
        try {
            failure = cause;
            events.add("failed");
            onFailed.accept(this);
        } finally {
            exit();
        }
    }

    @Override
    public void closed() {
        enter();
        events.add("closed");
        exit();
    }
}
