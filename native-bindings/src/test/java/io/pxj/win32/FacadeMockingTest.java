package io.pxj.win32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * The facade is what the Windows backend is unit-tested against on any OS: its interfaces mock without any native
 * code, and IoOutcome values drive the StartThreadpoolIo / CancelThreadpoolIo protocol. (A miniature of the
 * backend's read path, as a usage example.)
 */
class FacadeMockingTest {
    /** Issue a receive following the PoolIo protocol; returns bytes if it completed inline, -1 if pending. */
    static long issueReceive(Winsock ws, PoolIo io, long socket, long wsabufs, long overlapped) {
        io.start();
        long outcome = ws.wsaRecv(socket, wsabufs, 1, 0, overlapped);
        if (IoOutcome.isPending(outcome)) {
            return -1;
        }
        io.cancel(); // skip-on-success or failure: no completion packet
        if (IoOutcome.isFailed(outcome)) {
            throw new IllegalStateException(IoOutcome.describe(outcome));
        }
        return IoOutcome.bytes(outcome);
    }

    @Test
    void synchronousCompletionCancelsTheThreadpoolIo() {
        Winsock ws = mock(Winsock.class);
        PoolIo io = mock(PoolIo.class);
        when(ws.wsaRecv(eq(7L), anyLong(), eq(1), anyInt(), anyLong())).thenReturn(IoOutcome.completed(42));
        assertEquals(42, issueReceive(ws, io, 7, 0x100, 0x200));
        InOrder order = inOrder(io, ws);
        order.verify(io).start();
        order.verify(ws).wsaRecv(7, 0x100, 1, 0, 0x200);
        order.verify(io).cancel();
    }

    @Test
    void pendingLeavesTheThreadpoolIoStarted() {
        Winsock ws = mock(Winsock.class);
        PoolIo io = mock(PoolIo.class);
        when(ws.wsaRecv(anyLong(), anyLong(), anyInt(), anyInt(), anyLong())).thenReturn(IoOutcome.PENDING);
        assertEquals(-1, issueReceive(ws, io, 7, 0x100, 0x200));
        verify(io).start();
        verify(io, never()).cancel();
    }

    @Test
    void windowsApiAndPoolsMock() throws Exception {
        WindowsApi api = mock(WindowsApi.class);
        ThreadPool pool = mock(ThreadPool.class);
        when(api.createThreadPool(2, 4)).thenReturn(pool);
        when(pool.trySubmit(org.mockito.ArgumentMatchers.any(SimpleCallback.class))).thenReturn(true);
        ThreadPool p = api.createThreadPool(2, 4);
        assertEquals(true, p.trySubmit(() -> { }));
        CompletionEntries entries = CompletionEntries.allocate(2); // real views work off Windows
        entries.set(0, 1, 0x300, 10);
        entries.setCount(1);
        entries.setError(0, 64);
        assertEquals(64, entries.error(0));
        entries.close();
    }
}
