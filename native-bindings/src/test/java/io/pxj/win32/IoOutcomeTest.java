package io.pxj.win32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IoOutcomeTest {
    @Test
    void encodesTheThreeOutcomes() {
        long done = IoOutcome.completed(1234);
        assertTrue(IoOutcome.isCompleted(done));
        assertFalse(IoOutcome.isPending(done));
        assertFalse(IoOutcome.isFailed(done));
        assertEquals(1234, IoOutcome.bytes(done));
        assertEquals(0, IoOutcome.error(done));

        long zero = IoOutcome.completed(0); // a graceful close on receive
        assertTrue(IoOutcome.isCompleted(zero));
        assertEquals(0, IoOutcome.bytes(zero));

        assertTrue(IoOutcome.isPending(IoOutcome.PENDING));
        assertEquals(IoOutcome.PENDING, IoOutcome.failed(997));
        assertEquals(997, IoOutcome.error(IoOutcome.PENDING));
        assertFalse(IoOutcome.isFailed(IoOutcome.PENDING));

        long reset = IoOutcome.failed(10054);
        assertTrue(IoOutcome.isFailed(reset));
        assertEquals(10054, IoOutcome.error(reset));
        assertThrows(IllegalArgumentException.class, () -> IoOutcome.bytes(reset));
        assertEquals("FAILED(10054 WSAECONNRESET)", IoOutcome.describe(reset));
        assertEquals("PENDING", IoOutcome.describe(IoOutcome.PENDING));
        assertEquals("COMPLETED(7 bytes)", IoOutcome.describe(7));
    }

    @Test
    void largeUnsignedErrorCodesSurvive() {
        long o = IoOutcome.failed(0xC0000120);
        assertTrue(IoOutcome.isFailed(o));
        assertEquals(0xC0000120, IoOutcome.error(o));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> IoOutcome.failed(0));
        assertThrows(IllegalArgumentException.class, () -> IoOutcome.completed(-1));
    }
}
