package io.pxj.demo;

import io.pxj.runtime.Px;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The server main loop's shutdown sequence, against a mocked runtime. */
class LifecycleTest {
    @Test
    void runThenCloseWithTimeoutThenCleanUp() {
        Px px = mock(Px.class);
        when(px.close(Lifecycle.CLOSE_TIMEOUT)).thenReturn(true);
        Runnable afterClose = mock(Runnable.class);
        Lifecycle.runUntilShutdown(px, "test", afterClose);
        InOrder order = inOrder(px, afterClose);
        order.verify(px).run();
        order.verify(px).close(Lifecycle.CLOSE_TIMEOUT);
        order.verify(afterClose).run();
    }

    @Test
    void closesEvenWhenTheLoopFails() {
        Px px = mock(Px.class);
        doThrow(new IllegalStateException("boom")).when(px).run();
        boolean[] cleaned = {false};
        assertThrows(IllegalStateException.class, () -> Lifecycle.runUntilShutdown(px, "test", () -> cleaned[0] = true));
        verify(px).close(Lifecycle.CLOSE_TIMEOUT);
        assertTrue(cleaned[0]);
    }
}
