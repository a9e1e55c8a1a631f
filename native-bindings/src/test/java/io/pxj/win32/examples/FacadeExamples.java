package io.pxj.win32.examples;

import io.pxj.win32.CompletionEntries;
import io.pxj.win32.CompletionPort;
import io.pxj.win32.CompletionResult;
import io.pxj.win32.IoOutcome;
import io.pxj.win32.NativeMemory;
import io.pxj.win32.Overlapped;
import io.pxj.win32.PoolIo;
import io.pxj.win32.PoolTimer;
import io.pxj.win32.SockAddr;
import io.pxj.win32.ThreadPool;
import io.pxj.win32.WindowsApi;
import io.pxj.win32.WindowsException;
import io.pxj.win32.Winsock;
import io.pxj.win32.WsaBufArray;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The code of native-bindings/README.md, verbatim between the {@code // README:<name>:begin} and
 * {@code // README:<name>:end} markers (FacadeReadmeTest keeps the two equal); FacadeExamplesWindowsTest runs it
 * against {@code Windows.api()}.
 */
public final class FacadeExamples {
    private FacadeExamples() {
    }

    // README:port:begin
    /** Posts one packet to a new completion port and dequeues it: returns its completion key (42). */
    public static long postAndDequeue(WindowsApi api) throws WindowsException {
        try (CompletionPort port = api.createCompletionPort(1)) {
            port.post(5, 42, 0); // bytes, completion key, OVERLAPPED address (0: a packet of our own)
            CompletionResult r = new CompletionResult();
            if (port.dequeue(r, 5_000) != CompletionPort.DequeueStatus.DEQUEUED) {
                throw new IllegalStateException("no packet within 5 s");
            }
            return r.completionKey(); // r.bytesTransferred() is 5, r.error() 0
        }
    }
    // README:port:end

    // README:batch:begin
    /** Posts 100 packets and dequeues them up to 64 per call: returns the sum of their keys (5050). */
    public static long postAndDequeueBatch(WindowsApi api) throws WindowsException {
        try (CompletionPort port = api.createCompletionPort(1);
             CompletionEntries entries = CompletionEntries.allocate(64)) { // one per dequeuing thread
            for (int key = 1; key <= 100; key++) {
                port.post(0, key, 0);
            }
            long sum = 0;
            for (int seen = 0; seen < 100; ) {
                int n = port.dequeueBatch(entries, 5_000); // 0 on timeout, -1 once the port is closed
                if (n <= 0) {
                    throw new IllegalStateException("no packet within 5 s");
                }
                for (int i = 0; i < n; i++) {
                    sum += entries.completionKey(i); // also overlappedAddress(i), bytesTransferred(i), error(i)
                }
                seen += n;
            }
            return sum;
        }
    }
    // README:batch:end

    // README:callbacks:begin
    /** Runs 1,000 callbacks on a private thread pool and waits for all of them: returns how many ran. */
    public static int thousandCallbacks(WindowsApi api) throws WindowsException, InterruptedException {
        int n = 1_000;
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        int threads = api.processorCount();
        try (ThreadPool pool = api.createThreadPool(threads, threads)) { // min == max: no thread retires early
            for (int i = 0; i < n; i++) {
                boolean queued = pool.trySubmit(() -> { // TrySubmitThreadpoolCallback
                    ran.incrementAndGet(); // on a pool thread: keep it short, never let it block the pool
                    done.countDown();
                });
                if (!queued) {
                    done.countDown(); // refused (out of resources): it will not run; a PoolWork would
                }
            }
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException((n - done.getCount()) + " of " + n + " callbacks ran");
            }
        } // close(): waits for running callbacks, then closes the pool
        return ran.get();
    }
    // README:callbacks:end

    // README:read:begin
    /** Connects to {@code server} and returns the first bytes it sends: overlapped ConnectEx and WSARecv. */
    public static String readGreeting(WindowsApi api, InetSocketAddress server) throws Exception {
        Winsock ws = api.winsock();
        // OVERLAPPED, one WSABUF and the data in one block: the kernel owns it while an operation is pending
        NativeMemory block = NativeMemory.allocate(Overlapped.SIZE + WsaBufArray.ENTRY_SIZE + 256);
        Overlapped ov = new Overlapped(block, 0);
        WsaBufArray wsabuf = new WsaBufArray(block, Overlapped.SIZE, 1);
        wsabuf.set(0, block.address(Overlapped.SIZE + WsaBufArray.ENTRY_SIZE), 256);
        BlockingQueue<long[]> completions = new LinkedBlockingQueue<>(); // {error, bytes}, added on pool threads
        AtomicInteger inFlight = new AtomicInteger(); // operations whose result we have not taken
        ThreadPool pool = api.createThreadPool(2, 2);
        long socket = ws.createTcpSocket(StandardProtocolFamily.INET);
        PoolIo io = pool.createIo(socket, (overlapped, error, bytes) -> completions.add(new long[] {error, bytes}));
        try (SockAddr target = SockAddr.allocate()) {
            ws.bind(socket, new InetSocketAddress(InetAddress.getByAddress(new byte[4]), 0)); // ConnectEx needs it
            int length = target.set(server);
            long[] r = overlapped(io, completions, inFlight, () -> ws.connectEx(socket, target.address(), length,
                    0, 0, ov.reset().address()));
            if (r[0] != 0) {
                throw new WindowsException("ConnectEx", (int) r[0]);
            }
            ws.updateConnectContext(socket);
            r = overlapped(io, completions, inFlight,
                    () -> ws.wsaRecv(socket, wsabuf.address(), 1, 0, ov.reset().address()));
            if (r[0] != 0) {
                throw new WindowsException("WSARecv", (int) r[0]);
            }
            byte[] bytes = new byte[(int) r[1]];
            block.read(Overlapped.SIZE + WsaBufArray.ENTRY_SIZE, bytes, 0, bytes.length);
            return new String(bytes, StandardCharsets.UTF_8);
        } finally {
            ws.close(socket); // an operation still pending (after an exception) now completes with 995
            boolean idle = inFlight.get() == 0 || completions.poll(10, TimeUnit.SECONDS) != null;
            io.close(); // CloseThreadpoolIo, deferred by the facade until the last completion is accounted for
            pool.close();
            if (idle) {
                block.close(); // never free memory the kernel may still write: leak it instead
            }
        }
    }

    /** StartThreadpoolIo, the call, then the operation's {error, bytes}; CancelThreadpoolIo if no packet comes. */
    public static long[] overlapped(PoolIo io, BlockingQueue<long[]> completions, AtomicInteger inFlight,
                                    LongSupplier call) throws InterruptedException {
        io.start(); // before every operation
        inFlight.incrementAndGet();
        long outcome = call.getAsLong();
        if (IoOutcome.isFailed(outcome)) {
            io.cancel(); // failed at once: no completion packet will come
            inFlight.decrementAndGet();
            return new long[] {IoOutcome.error(outcome), 0};
        }
        long[] result = completions.take(); // pending or done at once: without skip-on-success a packet comes anyway
        inFlight.decrementAndGet();
        return result;
    }
    // README:read:end

    // README:timer:begin
    /** A periodic pool timer, stopped after {@code ticks} expiries: returns how many callbacks ran (>= ticks). */
    public static int timerTicks(WindowsApi api, int ticks) throws Exception {
        AtomicInteger fired = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(ticks);
        try (ThreadPool pool = api.createThreadPool(1, 1)) {
            PoolTimer timer = pool.createTimer(() -> { // on a pool thread; may call timer.stop(), never close()
                fired.incrementAndGet();
                enough.countDown();
            });
            timer.set(Duration.ofMillis(10), Duration.ofMillis(10), Duration.ZERO); // due, period, window
            if (!enough.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("fired " + fired.get() + " of " + ticks);
            }
            timer.stop(); // no new expiries; a callback already queued may still run
            timer.waitForCallbacks(false);
            timer.close(); // from this thread, not from the timer's own callback
        }
        return fired.get();
    }
    // README:timer:end
}
