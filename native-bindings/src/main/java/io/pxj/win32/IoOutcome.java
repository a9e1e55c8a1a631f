package io.pxj.win32;

import io.pxj.win32.raw.Constants;

/**
 * Allocation-free encoding of the immediate outcome of an overlapped operation, as returned by the
 * {@link Winsock} operations. One {@code long}:
 * <ul>
 *   <li>{@code >= 0}: <b>completed synchronously</b>, the value is the number of bytes transferred. On a socket
 *       with {@link Winsock#setSkipCompletionPortOnSuccess skip-on-success} no completion packet will follow,
 *       so the caller must call {@link PoolIo#cancel()} and handle it inline. Without skip-on-success a
 *       packet <em>will</em> still be queued.</li>
 *   <li>{@link #PENDING}: the operation is in flight; its completion arrives through the {@link PoolIo}
 *       handler (or the {@link CompletionPort}).</li>
 *   <li>other negative values: <b>failed synchronously</b> with Win32/WSA error {@code -value}
 *       ({@link #error}); no packet will be queued: call {@link PoolIo#cancel()}.</li>
 * </ul>
 * Stateless utility; thread-safe.
 */
public final class IoOutcome {
    /** ERROR_IO_PENDING / WSA_IO_PENDING (997), encoded. */
    public static final long PENDING = -(long) Constants.ERROR_IO_PENDING;

    private IoOutcome() {
    }

    public static long completed(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes < 0: " + bytes);
        }
        return bytes;
    }

    /** Encodes a failure; 997 encodes as {@link #PENDING}; 0 is not an error. */
    public static long failed(int error) {
        if (error == 0) {
            throw new IllegalArgumentException("error code 0 is success");
        }
        return -Integer.toUnsignedLong(error);
    }

    public static boolean isPending(long outcome) {
        return outcome == PENDING;
    }

    public static boolean isCompleted(long outcome) {
        return outcome >= 0;
    }

    public static boolean isFailed(long outcome) {
        return outcome < 0 && outcome != PENDING;
    }

    /** Bytes of a synchronous completion. */
    public static long bytes(long outcome) {
        if (outcome < 0) {
            throw new IllegalArgumentException("not a completed outcome: " + describe(outcome));
        }
        return outcome;
    }

    /** The error code of a failed (or 997 for a pending) outcome; 0 for a completed one. */
    public static int error(long outcome) {
        return outcome >= 0 ? 0 : (int) -outcome;
    }

    public static String describe(long outcome) {
        if (isCompleted(outcome)) {
            return "COMPLETED(" + outcome + " bytes)";
        }
        if (isPending(outcome)) {
            return "PENDING";
        }
        int e = error(outcome);
        String name = ErrorCodes.name(e);
        return "FAILED(" + Integer.toUnsignedString(e) + (name == null ? "" : " " + name) + ")";
    }
}
