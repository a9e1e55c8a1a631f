package io.pxj.win32.raw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Memory;

import org.junit.jupiter.api.Test;

/** The RIO table decodes in the SDK's order (no Windows needed: a fake table in native memory). */
class RioFunctionTableTest {
    @Test
    void decodesThirteenPointersAfterCbSize() {
        try (Memory m = new Memory(Structs.RIO_EXTENSION_FUNCTION_TABLE.SIZEOF)) {
            m.clear();
            m.setInt(0, Structs.RIO_EXTENSION_FUNCTION_TABLE.SIZEOF);
            for (int i = 0; i < 13; i++) {
                m.setLong(8 + 8L * i, 0x1000L + i);
            }
            RioFunctionTable t = new RioFunctionTable(m);
            assertEquals(112, t.cbSize);
            long[] got = {t.RIOReceive, t.RIOReceiveEx, t.RIOSend, t.RIOSendEx, t.RIOCloseCompletionQueue,
                t.RIOCreateCompletionQueue, t.RIOCreateRequestQueue, t.RIODequeueCompletion, t.RIODeregisterBuffer,
                t.RIONotify, t.RIORegisterBuffer, t.RIOResizeCompletionQueue, t.RIOResizeRequestQueue};
            for (int i = 0; i < 13; i++) {
                assertEquals(0x1000L + i, got[i], "pointer " + i);
            }
        }
    }
}
