package io.pxj.testfakes;

import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.FileRegion;
import io.pxj.runtime.Transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Records what a protocol sends: {@link #write} calls and callback return values (via {@link #send}) are turned
 * into bytes immediately (as the runtime would copy them to the socket), file regions by reading the file.
 */
public final class FakeTransport implements Transport {
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    /** Every send, in order, as the original objects' types (for zero-copy assertions). */
    public final List<Object> sends = new ArrayList<>();
    public volatile boolean closed, aborted, outputShutdown;
    public volatile long pendingSendBytes;
    private long sendsCompleted;

    @Override public long id() { return 42; }
    @Override public boolean isClient() { return false; }

    @Override public synchronized void write(Object data) { send(data); }

    @Override public synchronized void write(ByteBuffer... buffers) {
        for (ByteBuffer b : buffers) send(b);
    }

    @Override public synchronized void writeFile(Path path, long offset, long length) {
        send(FileRegion.of(path, offset, length));
    }

    /** Records one send (a callback return value or a write); null is nothing. */
    public synchronized void send(Object data) {
        if (data == null) return;
        if (closed) throw new IllegalStateException("send after close: " + data);
        sends.add(data instanceof ArenaBuffer ? "ArenaBuffer" : data);
        sendsCompleted++;
        byte[] b = bytes(data);
        sent.write(b, 0, b.length);
    }

    static byte[] bytes(Object data) {
        if (data instanceof byte[] b) return b;
        if (data instanceof ArenaBuffer a) return a.toByteArray();
        if (data instanceof ByteBuffer bb) {
            byte[] b = new byte[bb.remaining()];
            bb.duplicate().get(b);
            return b;
        }
        if (data instanceof ByteBuffer[] arr) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            for (ByteBuffer bb : arr) o.writeBytes(bytes(bb));
            return o.toByteArray();
        }
        if (data instanceof CharSequence cs) return cs.toString().getBytes(StandardCharsets.UTF_8);
        if (data instanceof FileRegion fr) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            if (fr.head() != null) o.writeBytes(bytes(fr.head()));
            o.writeBytes(readFile(fr.path(), fr.offset(), fr.length()));
            if (fr.tail() != null) o.writeBytes(bytes(fr.tail()));
            return o.toByteArray();
        }
        throw new IllegalArgumentException("cannot send " + data.getClass());
    }

    private static byte[] readFile(Path p, long offset, long length) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate((int) length);
            while (b.hasRemaining()) {
                if (ch.read(b, offset + b.position()) < 0) throw new IOException("file shorter than the region");
            }
            return b.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything sent so far. */
    public synchronized byte[] sentBytes() {
        return sent.toByteArray();
    }

    /** Everything sent so far as ISO-8859-1, and forgets it. */
    public synchronized String take() {
        String s = sent.toString(StandardCharsets.ISO_8859_1);
        sent.reset();
        sends.clear();
        return s;
    }

    @Override public void close() { closed = true; }
    @Override public void abort() { aborted = true; closed = true; }
    @Override public void shutdownOutput() { outputShutdown = true; }
    @Override public boolean isOpen() { return !closed; }
    @Override public InetSocketAddress localAddress() { return new InetSocketAddress("127.0.0.1", 80); }
    @Override public InetSocketAddress remoteAddress() { return new InetSocketAddress("127.0.0.1", 50000); }
    @Override public long bytesReceived() { return 0; }
    @Override public synchronized long bytesSent() { return sent.size(); }
    @Override public synchronized long sendsCompleted() { return sendsCompleted; }
    @Override public long pendingSendBytes() { return pendingSendBytes; }
    @Override public Duration elapsed() { return Duration.ZERO; }
    /** What receivedNanos() returns; -1: System.nanoTime(). */
    public volatile long receivedNanos = -1;
    /** timeResponse calls: {outputBytes, startNanos, tag}. */
    public final List<long[]> timed = new ArrayList<>();

    @Override public long receivedNanos() { return receivedNanos == -1 ? System.nanoTime() : receivedNanos; }
    /** False: timeResponse records nothing (for allocation tests). */
    public volatile boolean recordTimed = true;

    @Override public synchronized void timeResponse(long outputBytes, long startNanos, int tag) {
        if (recordTimed) timed.add(new long[] {outputBytes, startNanos, tag});
    }
}
