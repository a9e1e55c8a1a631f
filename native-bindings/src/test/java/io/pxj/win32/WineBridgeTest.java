package io.pxj.win32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Wine bridge itself: memory crossing in each direction, callbacks paired with the Wine pool thread that fired
 * them, the memory rules it enforces, and a helper that dies mid-call. Runs in the build's wine-test execution.
 */
@EnabledIf(value = "io.pxj.win32.Windows#isBridged", disabledReason = "tests of the Wine bridge: run with"
        + " -Dpxj.win32.bridge=wine (the wine-test execution of the build)")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WineBridgeTest {
    private static final int WAIT_S = 30;

    private WindowsApi api;
    private Winsock ws;
    private ThreadPool pool;
    private long listen;
    private PoolIo listenIo;
    private final CompletableFuture<long[]>[] completions = newSlots();
    private final AtomicReference<String> seenInHandler = new AtomicReference<>();
    private NativeMemory recvBlock;

    @SuppressWarnings("unchecked")
    private static CompletableFuture<long[]>[] newSlots() {
        return new CompletableFuture[] {new CompletableFuture<>(), new CompletableFuture<>()};
    }

    @BeforeEach
    void listen() throws Exception {
        api = Windows.api();
        ws = api.winsock();
        pool = api.createThreadPool(1, 4);
        listen = ws.createTcpSocket(StandardProtocolFamily.INET);
        ws.bind(listen, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ws.listen(listen, 16);
        ws.setSkipCompletionPortOnSuccess(listen);
        listenIo = pool.createIo(listen, (ov, error, bytes) -> completions[0].complete(new long[] {ov, error, bytes}));
    }

    @AfterEach
    void close() throws Exception {
        ws.close(listen);
        listenIo.close();
        pool.close();
        if (recvBlock != null) {
            recvBlock.close();
        }
    }

    /** AcceptEx from a plain JVM socket: the addresses block travels back into JVM memory before the handler runs. */
    private long acceptFrom(Socket client, NativeMemory block) throws Exception {
        long accepted = ws.createTcpSocket(StandardProtocolFamily.INET);
        listenIo.start();
        long r = ws.acceptEx(listen, accepted, block.address(64), 0, block.address());
        if (!IoOutcome.isPending(r)) {
            listenIo.cancel();
            assertTrue(IoOutcome.isCompleted(r), IoOutcome.describe(r));
        }
        client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ws.localAddress(listen).getPort()));
        if (IoOutcome.isPending(r)) {
            long[] c = completions[0].get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(block.address(), c[0], "the completion names the JVM's OVERLAPPED");
            assertEquals(0, c[1]);
        }
        ws.updateAcceptContext(accepted, listen);
        return accepted;
    }

    @Test
    void acceptExAddressesSendCopyAndReceiveCopyBack() throws Exception {
        int pendingBefore = ((WineWindowsApi) api).pendingOperations();
        try (NativeMemory acceptBlock = NativeMemory.allocate(64 + Winsock.acceptExBufferSize(0));
             NativeMemory sendBlock = NativeMemory.allocate(64 + 16);
             Socket client = new Socket()) {
            long s = acceptFrom(client, acceptBlock);
            AcceptAddresses a = ws.getAcceptExSockaddrs(acceptBlock.address(64), 0);
            assertEquals(client.getLocalPort(), a.remote().getPort(), "AcceptEx's remote address, copied back");
            assertEquals(client.getPort(), a.local().getPort());

            recvBlock = NativeMemory.allocate(64 + 32 + 16);
            PoolIo io = pool.createIo(s, (ov, error, bytes) -> {
                // Received bytes are in the JVM buffers before the handler runs.
                byte[] got = new byte[(int) bytes];
                recvBlock.read(64, got, 0, Math.min(got.length, 8));
                if (got.length > 8) {
                    recvBlock.read(64 + 16, got, 8, got.length - 8);
                }
                seenInHandler.set(new String(got, StandardCharsets.US_ASCII));
                completions[1].complete(new long[] {ov, error, bytes});
            });
            try {
                ws.setSkipCompletionPortOnSuccess(s);
                // Send: the bytes are copied at call time (the JVM buffer is overwritten right after the call).
                byte[] hello = "hello, wine".getBytes(StandardCharsets.US_ASCII);
                sendBlock.write(32, hello, 0, hello.length);
                WsaBufArray one = new WsaBufArray(sendBlock, 64, 1).set(0, sendBlock.address(32), hello.length);
                io.start();
                long r = ws.wsaSend(s, one.address(), 1, 0, sendBlock.address());
                sendBlock.zero(32, hello.length);
                if (IoOutcome.isPending(r)) {
                    assertEquals(0, completions[1].get(WAIT_S, TimeUnit.SECONDS)[1]);
                    completions[1] = new CompletableFuture<>();
                } else {
                    io.cancel();
                    assertEquals(hello.length, IoOutcome.bytes(r));
                }
                client.setSoTimeout(WAIT_S * 1000);
                InputStream in = client.getInputStream();
                assertArrayEquals(hello, in.readNBytes(hello.length));

                // Receive into two WSABUFs (8 + 16 bytes), pending until the JVM client writes.
                WsaBufArray two = new WsaBufArray(recvBlock, 32, 2)
                        .set(0, recvBlock.address(64), 8).set(1, recvBlock.address(64 + 16), 16);
                io.start();
                r = ws.wsaRecv(s, two.address(), 2, 0, recvBlock.address());
                assertTrue(IoOutcome.isPending(r), "nothing sent yet: " + IoOutcome.describe(r));
                client.getOutputStream().write("scatter-gather!".getBytes(StandardCharsets.US_ASCII));
                long[] c = completions[1].get(WAIT_S, TimeUnit.SECONDS);
                assertEquals(recvBlock.address(), c[0]);
                assertEquals(15, c[2]);
                assertEquals("scatter-gather!", seenInHandler.get());
                assertEquals(pendingBefore, ((WineWindowsApi) api).pendingOperations(), "nothing left in flight");
            } finally {
                ws.close(s);
                io.close();
            }
        }
    }

    @Test
    void aBlockedCallbackHoldsItsWineThreadAndCallsFromItRunOnThatThread() throws Exception {
        try (ThreadPool one = api.createThreadPool(1, 1)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch firstRunning = new CountDownLatch(1);
            CompletableFuture<String> first = new CompletableFuture<>();
            CompletableFuture<String> second = new CompletableFuture<>();
            WineBridge bridge = ((WineWindowsApi) api).bridge();
            assertTrue(one.trySubmit(() -> {
                firstRunning.countDown();
                long tid = bridge.call(WineBridge.Op.TEST_HOLD).i32(0).invoke("TEST_HOLD").ret();
                first.complete(Thread.currentThread().getName() + "|" + tid);
                try {
                    release.await(WAIT_S, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertTrue(firstRunning.await(WAIT_S, TimeUnit.SECONDS));
            assertTrue(one.trySubmit(() -> second.complete(Thread.currentThread().getName())));
            Thread.sleep(300);
            assertFalse(second.isDone(), "the pool's only Wine thread is held while its Java callback runs");
            release.countDown();
            String secondThread = second.get(WAIT_S, TimeUnit.SECONDS);
            String[] f = first.get(WAIT_S, TimeUnit.SECONDS).split("\\|");
            assertTrue(f[0].startsWith("pxj-pool-wine-"), f[0]);
            assertEquals("pxj-pool-wine-" + f[1], f[0], "a call made inside a callback runs on the Wine thread of that"
                    + " callback");
            assertEquals(f[0], secondThread, "the same Wine thread, the same paired Java thread");
        }
    }

    @Test
    void aCompletionForFreedMemoryIsRefusedAndCounted() throws Exception {
        try (WineWindowsApi own = WineWindowsApi.start(); Socket client = new Socket()) {
            Winsock w = own.winsock();
            ThreadPool p = own.createThreadPool(1, 2);
            long ls = w.createTcpSocket(StandardProtocolFamily.INET);
            w.bind(ls, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            w.listen(ls, 4);
            client.connect(w.localAddress(ls));
            NativeMemory acceptBlock = NativeMemory.allocate(64 + Winsock.acceptExBufferSize(0));
            long s = w.createTcpSocket(StandardProtocolFamily.INET);
            CompletableFuture<long[]> done = new CompletableFuture<>();
            PoolIo lio = p.createIo(ls, (ov, e, b) -> done.complete(new long[] {ov, e, b}));
            lio.start();
            long r = w.acceptEx(ls, s, acceptBlock.address(64), 0, acceptBlock.address());
            if (IoOutcome.isPending(r)) {
                done.get(WAIT_S, TimeUnit.SECONDS);
            } // without skip-on-success a synchronous success still queues its packet
            w.updateAcceptContext(s, ls);
            CompletableFuture<long[]> recv = new CompletableFuture<>();
            PoolIo io = p.createIo(s, (ov, e, b) -> recv.complete(new long[] {ov, e, b}));
            NativeMemory block = NativeMemory.allocate(64 + 16);
            WsaBufArray buf = new WsaBufArray(block, 32, 1).set(0, block.address(48), 16);
            io.start();
            assertTrue(IoOutcome.isPending(w.wsaRecv(s, buf.address(), 1, 0, block.address())));
            long before = own.violations();
            block.close(); // the bug under test: freeing an OVERLAPPED the kernel still owns
            client.getOutputStream().write(1);
            long[] c = recv.get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(0, c[0], "the refused completion reaches the pool object without an OVERLAPPED");
            assertEquals(before + 1, own.violations(), "and is counted");
            w.close(s);
            w.close(ls);
            io.close();
            lio.close();
            p.close();
            acceptBlock.close();
        }
    }

    @Test
    void aHelperThatDiesFailsCallsClearlyInsteadOfHanging() throws Exception {
        WineWindowsApi own = WineWindowsApi.start();
        try {
            CompletionPort port = own.createCompletionPort(1);
            CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    port.dequeue(new CompletionResult(), CompletionPort.INFINITE);
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            Thread.sleep(300);
            own.bridge().process().destroyForcibly();
            Throwable t = blocked.get(WAIT_S, TimeUnit.SECONDS);
            assertNotNull(t, "a dequeue blocked in the dead helper fails");
            assertTrue(t.getMessage().contains("GetQueuedCompletionStatus"), t.getMessage());
            IllegalStateException later = assertThrows(IllegalStateException.class, own::processorCount);
            assertTrue(later.getMessage().contains("GetSystemInfo") && later.getMessage().contains("exited"),
                    later.getMessage());
        } finally {
            own.close();
        }
    }

    /** A JVM that starts a bridge, prints its helper's pid and waits; killed by the test below. */
    public static final class HelperOwner {
        public static void main(String[] args) throws Exception {
            WineWindowsApi api = WineWindowsApi.start();
            System.out.println("helper " + api.bridge().process().pid());
            System.out.flush();
            Thread.sleep(120_000);
        }
    }

    @Test
    void theHelperExitsWhenItsJvmIsKilled() throws Exception {
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dpxj.wine.home=" + System.getProperty("pxj.wine.home", WineBridge.home().toString()),
                HelperOwner.class.getName()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            long helper = -1;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("helper ")) {
                    helper = Long.parseLong(line.substring(7).trim());
                    break;
                }
            }
            assertTrue(helper > 0, "the child JVM started a helper");
            ProcessHandle h = ProcessHandle.of(helper).orElseThrow();
            jvm.destroyForcibly(); // no shutdown hook runs: only the closed stdin tells the helper
            h.onExit().get(WAIT_S, TimeUnit.SECONDS);
            assertFalse(h.isAlive());
        } finally {
            jvm.destroyForcibly();
        }
    }
}
