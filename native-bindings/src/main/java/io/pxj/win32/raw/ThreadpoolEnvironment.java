package io.pxj.win32.raw;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Java versions of the inline header functions that fill a {@link Structs.TP_CALLBACK_ENVIRON_V3} (winbase.h /
 * winnt.h {@code TpInitializeCallbackEnviron} and friends: they are not exported by any DLL). Each writes
 * exactly the fields its C counterpart writes, into a little-endian view of the block ({@code env} must cover
 * at least {@code SIZEOF} bytes from index 0; a direct buffer over native memory in production).
 *
 * <p>Stateless; thread-safe as long as each environment is not written concurrently.
 */
public final class ThreadpoolEnvironment {
    private ThreadpoolEnvironment() {
    }

    /**
     * InitializeThreadpoolEnvironment (Windows 7+ variant). Like the C code it assigns the fields but not the
     * padding; callers pass zeroed memory, so the whole block is deterministic.
     */
    public static void InitializeThreadpoolEnvironment(ByteBuffer env) {
        ByteBuffer b = le(env);
        b.putInt(Structs.TP_CALLBACK_ENVIRON_V3.Version, 3);
        b.putLong(Structs.TP_CALLBACK_ENVIRON_V3.Pool, 0L);
        b.putLong(Structs.TP_CALLBACK_ENVIRON_V3.CleanupGroup, 0L);
        b.putLong(Structs.TP_CALLBACK_ENVIRON_V3.CleanupGroupCancelCallback, 0L);
        b.putLong(Structs.TP_CALLBACK_ENVIRON_V3.RaceDll, 0L);
        b.putLong(Structs.TP_CALLBACK_ENVIRON_V3.ActivationContext, 0L);
        b.putLong(Structs.TP_CALLBACK_ENVIRON_V3.FinalizationCallback, 0L);
        b.putInt(Structs.TP_CALLBACK_ENVIRON_V3.u, 0);
        b.putInt(Structs.TP_CALLBACK_ENVIRON_V3.CallbackPriority, Constants.TP_CALLBACK_PRIORITY_NORMAL);
        b.putInt(Structs.TP_CALLBACK_ENVIRON_V3.Size, Structs.TP_CALLBACK_ENVIRON_V3.SIZEOF);
    }

    /** SetThreadpoolCallbackPool. */
    public static void SetThreadpoolCallbackPool(ByteBuffer env, long pool) {
        le(env).putLong(Structs.TP_CALLBACK_ENVIRON_V3.Pool, pool);
    }

    /** SetThreadpoolCallbackCleanupGroup (cancelCallback: a PTP_CLEANUP_GROUP_CANCEL_CALLBACK address or 0). */
    public static void SetThreadpoolCallbackCleanupGroup(ByteBuffer env, long cleanupGroup, long cancelCallback) {
        ByteBuffer b = le(env);
        b.putLong(Structs.TP_CALLBACK_ENVIRON_V3.CleanupGroup, cleanupGroup);
        b.putLong(Structs.TP_CALLBACK_ENVIRON_V3.CleanupGroupCancelCallback, cancelCallback);
    }

    /** SetThreadpoolCallbackRunsLong: sets {@code u.s.LongFunction}. */
    public static void SetThreadpoolCallbackRunsLong(ByteBuffer env) {
        ByteBuffer b = le(env);
        int flags = b.getInt(Structs.TP_CALLBACK_ENVIRON_V3.u);
        b.putInt(Structs.TP_CALLBACK_ENVIRON_V3.u, flags | Structs.TP_CALLBACK_ENVIRON_V3.FLAG_LongFunction);
    }

    /** SetThreadpoolCallbackPriority. */
    public static void SetThreadpoolCallbackPriority(ByteBuffer env, int priority) {
        le(env).putInt(Structs.TP_CALLBACK_ENVIRON_V3.CallbackPriority, priority);
    }

    /** DestroyThreadpoolEnvironment: a no-op in the headers, kept for symmetry. */
    public static void DestroyThreadpoolEnvironment(ByteBuffer env) {
        // Intentionally empty, like the C inline function.
    }

    private static ByteBuffer le(ByteBuffer env) {
        if (env.capacity() < Structs.TP_CALLBACK_ENVIRON_V3.SIZEOF) {
            throw new IllegalArgumentException("TP_CALLBACK_ENVIRON_V3 needs " + Structs.TP_CALLBACK_ENVIRON_V3.SIZEOF
                    + " bytes, got " + env.capacity());
        }
        return env.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }
}
