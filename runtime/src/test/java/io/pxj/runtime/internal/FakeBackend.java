package io.pxj.runtime.internal;

import io.pxj.runtime.Cancellable;
import io.pxj.runtime.spi.Acceptor;
import io.pxj.runtime.spi.Backend;
import io.pxj.runtime.spi.BackendConfig;
import io.pxj.runtime.spi.BackendEvent;
import io.pxj.runtime.spi.BackendProvider;
import io.pxj.runtime.spi.Channel;
import io.pxj.runtime.spi.ConnectionHandler;
import io.pxj.runtime.spi.Listener;
import io.pxj.runtime.spi.MainQueue;
import io.pxj.runtime.spi.WaitTask;
import io.pxj.runtime.spi.support.ParkingMainQueue;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A deterministic single-threaded backend for core unit tests: tasks run inline, schedules are recorded. */
final class FakeBackend implements Backend, BackendProvider {
    final ParkingMainQueue main = new ParkingMainQueue();
    final List<Object[]> scheduled = new ArrayList<>();

    static PxCore core(FakeBackend b) {
        return new PxCore(null, new CoreConfig(1, 2, null, true, 64 << 20, 1L << 30, Duration.ofSeconds(1), 4), b);
    }

    @Override public String name() { return "fake"; }
    @Override public int priority() { return 0; }
    @Override public boolean isAvailable() { return true; }
    @Override public String unavailabilityCause() { return null; }
    @Override public Backend create(BackendConfig config) { return this; }
    @Override public int threadCount() { return 0; }
    @Override public boolean inPoolThread() { return false; }
    @Override public MainQueue mainQueue() { return main; }
    @Override public void execute(Runnable task) { task.run(); }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos, long periodNanos) {
        scheduled.add(new Object[] {task, delayNanos, periodNanos});
        return () -> {};
    }

    @Override public BackendEvent newEvent() { throw new UnsupportedOperationException(); }
    @Override public Cancellable waitFor(BackendEvent e, long t, WaitTask task) { throw new UnsupportedOperationException(); }

    @Override
    public Listener listen(InetSocketAddress a, int backlog, boolean v6, int accepts, Acceptor acceptor) {
        throw new UnsupportedOperationException();
    }

    @Override public void connect(InetSocketAddress remote, ConnectionHandler handler) {}
    @Override public Map<String, Long> counters() { return Map.of(); }
    @Override public boolean close(Duration timeout) { return true; }

    /** Records what the core asks for; completions are driven by the test. */
    static final class FakeChannel implements Channel {
        ByteBuffer readBuf;
        boolean leanRead; // read(null): the buffer comes from the handler when data is delivered
        int reads;
        final List<String> sent = new ArrayList<>();
        int sendCalls;
        int lastGatherCount;
        boolean sendPending;
        long pendingBytes;
        Boolean closed; // null = open; else abortive?
        boolean outputShut;
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        final List<Object[]> timers = new ArrayList<>();
        Object[] file;

        @Override public long id() { return 42; }
        @Override public InetSocketAddress localAddress() { return new InetSocketAddress("127.0.0.1", 1); }
        @Override public InetSocketAddress remoteAddress() { return new InetSocketAddress("127.0.0.1", 2); }

        @Override
        public void read(ByteBuffer buffer) {
            if (readBuf != null || leanRead) throw new AssertionError("two reads outstanding");
            if (buffer != null && !buffer.isDirect()) throw new AssertionError("heap buffer");
            readBuf = buffer;
            leanRead = buffer == null;
            reads++;
        }

        @Override
        public void send(ByteBuffer[] buffers, int offset, int count) {
            if (sendPending) throw new AssertionError("two sends outstanding");
            StringBuilder sb = new StringBuilder();
            long n = 0;
            for (int i = offset; i < offset + count; i++) {
                ByteBuffer b = buffers[i];
                if (!b.isDirect()) throw new AssertionError("heap buffer sent");
                while (b.hasRemaining()) {
                    sb.append((char) (b.get() & 0xFF));
                    n++;
                }
            }
            sent.add(sb.toString());
            sendCalls++;
            lastGatherCount = count;
            sendPending = true;
            pendingBytes = n;
        }

        @Override
        public void sendFile(ByteBuffer head, Path f, long offset, long length, ByteBuffer tail) {
            file = new Object[] {head, f, offset, length, tail};
            sendPending = true;
            pendingBytes = length + (head == null ? 0 : head.remaining()) + (tail == null ? 0 : tail.remaining());
        }

        @Override public void shutdownOutput() { outputShut = true; }

        @Override
        public void close(boolean abortive) {
            if (closed == null) closed = abortive;
        }

        @Override public void execute(Runnable task) { tasks.add(task); }

        @Override
        public Cancellable schedule(Runnable task, long delayNanos) {
            timers.add(new Object[] {task, delayNanos});
            return () -> {};
        }

        // ---- test drivers
        /** A read is outstanding (with a buffer, or a lean one). */
        boolean reading() {
            return readBuf != null || leanRead;
        }

        void deliver(ConnectionHandler h, String s) {
            if (leanRead) {
                leanRead = false;
                readBuf = h.receiveBuffer();
                if (readBuf == null) throw new AssertionError("the handler lent no receive buffer");
            }
            ByteBuffer b = readBuf;
            if (b == null) throw new AssertionError("no read outstanding");
            readBuf = null;
            b.put(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            h.received(s.length(), System.nanoTime());
        }

        void completeSend(ConnectionHandler h) {
            if (!sendPending) throw new AssertionError("no send outstanding");
            sendPending = false;
            h.sendCompleted(pendingBytes);
        }

        String lastSent() {
            return sent.isEmpty() ? null : sent.get(sent.size() - 1);
        }
    }
}
