package io.pxj.win32.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.win32.CompletionEntries;
import io.pxj.win32.CompletionPort;
import io.pxj.win32.CompletionPort.DequeueStatus;
import io.pxj.win32.CompletionResult;
import io.pxj.win32.Overlapped;
import io.pxj.win32.Windows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

@EnabledIf(value = "io.pxj.win32.Windows#isAvailable", disabledReason = "needs Windows, or the Wine bridge"
        + " (-Dpxj.win32.bridge=wine, as the wine-test execution of the build sets it)")
class CompletionPortWindowsTest {

    @Test
    void postAndDequeueOne() throws Exception {
        try (CompletionPort port = Windows.api().createCompletionPort(1)) {
            CompletionResult r = new CompletionResult();
            port.post(5, 42, 0);
            assertEquals(DequeueStatus.DEQUEUED, port.dequeue(r, 5_000));
            assertEquals(42, r.completionKey());
            assertEquals(5, r.bytesTransferred());
            assertEquals(0, r.overlappedAddress());
            assertEquals(0, r.error());
            assertEquals(DequeueStatus.TIMEOUT, port.dequeue(r, 10));
        }
    }

    @Test
    void postAndDequeueBatchWithNtStatusTranslation() throws Exception {
        Overlapped ov = Overlapped.allocate();
        try (CompletionPort port = Windows.api().createCompletionPort(1);
             CompletionEntries entries = CompletionEntries.allocate(16)) {
            for (int i = 0; i < 10; i++) {
                port.post(i, 100 + i, 0);
            }
            Set<Long> keys = new HashSet<>();
            while (keys.size() < 10) {
                int n = port.dequeueBatch(entries, 5_000);
                assertTrue(n > 0, "timed out with " + keys.size() + " of 10");
                for (int i = 0; i < n; i++) {
                    keys.add(entries.completionKey(i));
                    assertEquals(entries.completionKey(i) - 100, entries.bytesTransferred(i));
                    assertEquals(0, entries.error(i));
                }
            }
            assertEquals(0, port.dequeueBatch(entries, 10));

            // GQCSEx has no per-entry status: the port reads OVERLAPPED.Internal (here STATUS_CANCELLED).
            ov.memory().putLong(0, 0xC000_0120L);
            port.post(0, 9, ov.address());
            assertEquals(1, port.dequeueBatch(entries, 5_000));
            assertEquals(ov.address(), entries.overlappedAddress(0));
            assertEquals(995, entries.error(0)); // ERROR_OPERATION_ABORTED
        } finally {
            ov.memory().close();
        }
    }

    @Test
    void closeWakesABlockedDequeuerAndIsIdempotent() throws Exception {
        CompletionPort port = Windows.api().createCompletionPort(1);
        CompletableFuture<DequeueStatus> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return port.dequeue(new CompletionResult(), CompletionPort.INFINITE);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(100);
        port.close();
        port.close();
        assertEquals(DequeueStatus.CLOSED, blocked.get(10, TimeUnit.SECONDS));
        assertEquals(DequeueStatus.CLOSED, port.dequeue(new CompletionResult(), 0));
        assertTrue(port.isClosed());
    }
}
