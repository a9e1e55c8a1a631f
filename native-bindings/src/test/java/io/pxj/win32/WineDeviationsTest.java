package io.pxj.win32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Each Wine deviation the bridge shims, shown on Wine's own behaviour (the shim turned off). If one of these fails,
 * Wine now behaves as Windows there: drop the shim and its entry in the README.
 */
@EnabledIf(value = "io.pxj.win32.Windows#isBridged", disabledReason = "shows Wine deviations: run with"
        + " -Dpxj.win32.bridge=wine (the wine-test execution of the build)")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WineDeviationsTest {

    @Test
    void portCloseDoesNotWakeABlockedDequeue() throws Exception {
        WineCompletionPort port = (WineCompletionPort) Windows.api().createCompletionPort(1);
        CompletableFuture<CompletionPort.DequeueStatus> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return port.dequeue(new CompletionResult(), 1_500);
            } catch (WindowsException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        port.closePort(false); // CloseHandle without the sentinel
        // Windows: CLOSED (ERROR_ABANDONED_WAIT_0) at once. Wine: the dequeue waits out its timeout.
        assertEquals(CompletionPort.DequeueStatus.TIMEOUT, blocked.get(30, TimeUnit.SECONDS));
    }

    @Test
    void disconnectExReportsPendingButHasCompletedAndDoesNotMakeTheSocketReusable() throws Exception {
        WindowsApi api = Windows.api();
        Winsock ws = api.winsock();
        try (ThreadPool pool = api.createThreadPool(1, 2);
             NativeMemory block = NativeMemory.allocate(256 + Winsock.acceptExBufferSize(0));
             Socket client = new Socket()) {
            long ls = ws.createTcpSocket(StandardProtocolFamily.INET);
            ws.bind(ls, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ws.listen(ls, 4);
            client.connect(ws.localAddress(ls));
            long s = ws.createTcpSocket(StandardProtocolFamily.INET);
            CompletableFuture<long[]> acc = new CompletableFuture<>();
            PoolIo lio = pool.createIo(ls, (ov, e, b) -> acc.complete(new long[] {ov, e, b}));
            lio.start();
            long r = ws.acceptEx(ls, s, block.address(128), 0, block.address());
            if (IoOutcome.isPending(r)) {
                acc.get(30, TimeUnit.SECONDS); // without skip-on-success a synchronous success still queues a packet
            }
            ws.updateAcceptContext(s, ls);
            ws.setSkipCompletionPortOnSuccess(s);
            CompletableFuture<long[]> done = new CompletableFuture<>();
            PoolIo io = pool.createIo(s, (ov, e, b) -> done.complete(new long[] {ov, e, b}));
            client.close(); // the peer closes first
            Thread.sleep(100);
            io.start();
            r = ws.disconnectEx(s, block.address(64), Winsock.TF_REUSE_SOCKET | WineBridge.RAW_CALL);
            // Wine: "pending", yet the OVERLAPPED already shows success, and no completion ever comes.
            assertTrue(IoOutcome.isPending(r), IoOutcome.describe(r));
            assertEquals(0, new Overlapped(block, 64).ntStatus(), "the OVERLAPPED says it is done");
            Thread.sleep(1_000);
            assertTrue(!done.isDone(), "no completion for a DisconnectEx that reported pending");
            ws.close(s); // aborts nothing: the operation is over; the TP_IO keeps its count, so it is not closed
            ws.close(ls);
            lio.close();
        }
    }

    /** CloseThreadpoolIo inside the object's own callback, then CloseThreadpoolCleanupGroupMembers while it runs. */
    @Test
    void closingTheGroupWhileAClosedIoCallbackRunsAssertsWhenNoOtherIoIsOpen() throws Exception {
        try (WineWindowsApi own = WineWindowsApi.start("--no-anchor");
             ServerSocket peer = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
             SockAddr target = SockAddr.allocate();
             NativeMemory ov = NativeMemory.allocate(64)) {
            TpCalls tp = new WineTpCalls(own.bridge());
            Winsock ws = own.winsock();
            long pool = tp.CreateThreadpool();
            long group = tp.CreateThreadpoolCleanupGroup();
            long env = tp.InitializeThreadpoolEnvironment(pool, group, false);
            long s = ws.createTcpSocket(StandardProtocolFamily.INET);
            ws.bind(s, new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
            long[] io = new long[1];
            CountDownLatch closedInside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            long ctx = PoolDispatch.IO.register(new PoolDispatch.IoTarget() {
                @Override
                public IoCompletionHandler handler() {
                    return (o, e, b) -> {
                        tp.CloseThreadpoolObject(TpObject.IO, io[0]); // allowed inside its own callback
                        closedInside.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException x) {
                            Thread.currentThread().interrupt();
                        }
                    };
                }

                @Override
                public void completed() {
                }
            });
            try {
                io[0] = tp.CreateThreadpoolIo(s, ctx, env);
                tp.StartThreadpoolIo(io[0]);
                int len = target.set((InetSocketAddress) peer.getLocalSocketAddress());
                long r = ws.connectEx(s, target.address(), len, 0, 0, ov.address());
                assertTrue(IoOutcome.isPending(r) || IoOutcome.isCompleted(r), IoOutcome.describe(r));
                assertTrue(closedInside.await(30, TimeUnit.SECONDS));
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> tp.CloseThreadpoolCleanupGroupMembers(group, false));
                assertTrue(e.getMessage().contains("CloseThreadpoolCleanupGroupMembers"), e.getMessage());
            } finally {
                release.countDown();
                PoolDispatch.IO.release(ctx);
            }
        }
    }
}
