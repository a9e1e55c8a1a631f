package io.pxj.win32.raw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * Byte-exact against the real inline functions: the expected blocks were dumped by a throw-away mingw-w64 program
 * (_WIN32_WINNT=0x0A00, zeroed TP_CALLBACK_ENVIRON, then InitializeThreadpoolEnvironment,
 * SetThreadpoolCallbackPool(0x1122334455667788), SetThreadpoolCallbackCleanupGroup(0x0102030405060708,
 * 0x1111222233334444), SetThreadpoolCallbackRunsLong) run under Wine.
 */
class ThreadpoolEnvironmentTest {
    private static final String INIT = "0300000000000000" + "0000000000000000".repeat(6)
            + "00000000" + "01000000" + "4800000000000000";
    private static final String POOL_GROUP = "0300000000000000" + "8877665544332211" + "0807060504030201"
            + "4444333322221111" + "0000000000000000".repeat(3) + "00000000" + "01000000" + "4800000000000000";
    private static final String RUNS_LONG = "0300000000000000" + "8877665544332211" + "0807060504030201"
            + "4444333322221111" + "0000000000000000".repeat(3) + "01000000" + "01000000" + "4800000000000000";

    private static String hex(ByteBuffer b) {
        byte[] a = new byte[b.capacity()];
        b.duplicate().clear().get(a);
        return HexFormat.of().formatHex(a);
    }

    @Test
    void initializeMatchesTheHeaderFunction() {
        ByteBuffer env = ByteBuffer.allocate(Structs.TP_CALLBACK_ENVIRON_V3.SIZEOF);
        ThreadpoolEnvironment.InitializeThreadpoolEnvironment(env);
        assertEquals(INIT, hex(env));
    }

    @Test
    void poolCleanupGroupAndRunsLongMatchTheHeaderFunctions() {
        ByteBuffer env = ByteBuffer.allocateDirect(Structs.TP_CALLBACK_ENVIRON_V3.SIZEOF);
        ThreadpoolEnvironment.InitializeThreadpoolEnvironment(env);
        ThreadpoolEnvironment.SetThreadpoolCallbackPool(env, 0x1122334455667788L);
        ThreadpoolEnvironment.SetThreadpoolCallbackCleanupGroup(env, 0x0102030405060708L, 0x1111222233334444L);
        assertEquals(POOL_GROUP, hex(env));
        ThreadpoolEnvironment.SetThreadpoolCallbackRunsLong(env);
        assertEquals(RUNS_LONG, hex(env));
        ThreadpoolEnvironment.SetThreadpoolCallbackRunsLong(env); // idempotent bit set
        assertEquals(RUNS_LONG, hex(env));
        ThreadpoolEnvironment.DestroyThreadpoolEnvironment(env);
        assertEquals(RUNS_LONG, hex(env));
    }

    @Test
    void initializeOverwritesEveryFieldOfADirtyBlock() {
        ByteBuffer env = ByteBuffer.allocate(Structs.TP_CALLBACK_ENVIRON_V3.SIZEOF);
        ThreadpoolEnvironment.InitializeThreadpoolEnvironment(env);
        ThreadpoolEnvironment.SetThreadpoolCallbackPool(env, -1L);
        ThreadpoolEnvironment.SetThreadpoolCallbackRunsLong(env);
        ThreadpoolEnvironment.SetThreadpoolCallbackPriority(env, Constants.TP_CALLBACK_PRIORITY_LOW);
        ThreadpoolEnvironment.InitializeThreadpoolEnvironment(env);
        assertEquals(INIT, hex(env));
    }

    @Test
    void rejectsShortBlocks() {
        assertThrows(IllegalArgumentException.class,
                () -> ThreadpoolEnvironment.InitializeThreadpoolEnvironment(ByteBuffer.allocate(64)));
    }
}
