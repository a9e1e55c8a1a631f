package io.pxj.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed-loop echo load generator on plain java.nio (no PxJ), used by the harness when the demo's
 * {@code load echo} cannot run. Each connection sends one message of --size bytes, waits until all of it came
 * back (latency recorded), and sends the next. Prints the same summary lines as the demo's load command.
 *
 * <pre>java -cp pxj-bench.jar io.pxj.bench.EchoLoad --connections 64 --duration 10 --size 64 [--threads N]
 * host:port</pre>
 */
public final class EchoLoad {
    private EchoLoad() {}

    public static void main(String[] args) throws Exception {
        int connections = 64, duration = 10, size = 64, threads = Runtime.getRuntime().availableProcessors();
        String target = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--connections", "-c" -> connections = Integer.parseInt(args[++i]);
                case "--duration", "-d" -> duration = Integer.parseInt(args[++i]);
                case "--size", "-s" -> size = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> target = args[i];
            }
        }
        if (target == null || !target.contains(":")) {
            System.err.println("usage: EchoLoad --connections N --duration S --size B [--threads N] host:port");
            System.exit(2);
        }
        InetSocketAddress address = new InetSocketAddress(target.substring(0, target.lastIndexOf(':')),
                Integer.parseInt(target.substring(target.lastIndexOf(':') + 1)));
        threads = Math.max(1, Math.min(threads, connections));
        System.out.printf(Locale.ROOT, "EchoLoad %s: %d connection(s), %d s, %d B, %d thread(s)%n", target, connections,
                duration, size, threads);

        LongAdder errors = new LongAdder();
        List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int n = connections / threads + (t < connections % threads ? 1 : 0);
            workers.add(new Worker(address, n, size, errors));
        }
        for (Worker w : workers) { w.connectAll(); }
        long start = System.nanoTime();
        long end = start + duration * 1_000_000_000L;
        List<Thread> running = new ArrayList<>();
        for (Worker w : workers) {
            Thread th = new Thread(() -> w.loop(end), "echo-load");
            th.start();
            running.add(th);
        }
        for (Thread th : running) { th.join(); }
        double seconds = (System.nanoTime() - start) / 1e9;
        Histogram all = new Histogram(60_000_000_000L, 3);
        for (Worker w : workers) { all.add(w.latency); }
        long count = all.getTotalCount();
        System.out.println();
        System.out.printf(Locale.ROOT, "  %-22s %,d in %.2f s = %,.1f req/s%n", "requests completed", count, seconds,
                count / seconds);
        System.out.printf(Locale.ROOT, "  %-22s %9s %9s %9s %9s %9s %9s%n", "latency (ms)", "p50", "p90", "p99",
                "p99.9", "max", "mean");
        if (count > 0) {
            System.out.printf(Locale.ROOT, "  %-22s %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f%n", "all requests",
                    all.getValueAtPercentile(50) / 1e6, all.getValueAtPercentile(90) / 1e6,
                    all.getValueAtPercentile(99) / 1e6,
                    all.getValueAtPercentile(99.9) / 1e6, all.getMaxValue() / 1e6, all.getMean() / 1e6);
        }
        System.out.printf(Locale.ROOT, "  %-22s %d%n", "errors", errors.sum());
    }

    /** One selector thread driving its share of the connections. */
    static final class Worker {
        final InetSocketAddress address;
        final int connections;
        final int size;
        final LongAdder errors;
        final Histogram latency = new Histogram(60_000_000_000L, 3);
        Selector selector;

        Worker(InetSocketAddress address, int connections, int size, LongAdder errors) {
            this.address = address;
            this.connections = connections;
            this.size = size;
            this.errors = errors;
        }

        void connectAll() throws IOException {
            selector = Selector.open();
            byte[] payload = new byte[size];
            for (int i = 0; i < size; i++) { payload[i] = (byte) ('a' + i % 26); }
            for (int i = 0; i < connections; i++) {
                SocketChannel ch = SocketChannel.open();
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.connect(address);
                ch.configureBlocking(false);
                Conn c = new Conn(ch, ByteBuffer.allocateDirect(size).put(payload).flip(),
                        ByteBuffer.allocateDirect(Math.max(size, 4096)));
                c.key = ch.register(selector, 0, c);
            }
        }

        void loop(long end) {
            try {
                for (SelectionKey k : selector.keys()) { ((Conn) k.attachment()).send(); }
                while (System.nanoTime() < end) {
                    if (selector.select(100) == 0) { continue; }
                    var it = selector.selectedKeys().iterator();
                    while (it.hasNext()) {
                        SelectionKey k = it.next();
                        it.remove();
                        Conn c = (Conn) k.attachment();
                        try {
                            if (k.isWritable()) { c.send(); }
                            if (k.isValid() && k.isReadable()) { c.receive(latency); }
                        } catch (IOException e) {
                            errors.increment();
                            k.cancel();
                            c.ch.close();
                        }
                    }
                }
                for (SelectionKey k : selector.keys()) { k.channel().close(); }
                selector.close();
            } catch (IOException e) {
                errors.increment();
            }
        }

        final class Conn {
            final SocketChannel ch;
            final ByteBuffer out;
            final ByteBuffer in;
            SelectionKey key;
            long sentAt;
            int received;

            Conn(SocketChannel ch, ByteBuffer out, ByteBuffer in) {
                this.ch = ch;
                this.out = out;
                this.in = in;
            }

            void send() throws IOException {
                if (!out.hasRemaining()) { // a new message
                    out.rewind();
                }
                if (out.position() == 0) { sentAt = System.nanoTime(); }
                ch.write(out);
                key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE | SelectionKey.OP_READ
                        : SelectionKey.OP_READ);
            }

            void receive(Histogram h) throws IOException {
                in.clear();
                int n = ch.read(in);
                if (n < 0) { throw new IOException("closed by server"); }
                received += n;
                if (received > size) { throw new IOException("more bytes than sent"); }
                if (received == size && !out.hasRemaining()) {
                    h.recordValue(Math.min(System.nanoTime() - sentAt, 60_000_000_000L));
                    received = 0;
                    out.rewind();
                    send();
                }
            }
        }
    }
}
