package io.pxj.win32;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.nio.ByteBuffer;

/**
 * Addresses of direct ByteBuffers, for WSABUFs. The caller must keep the buffer strongly reachable until the
 * operation completes (a collected direct buffer frees its memory under the kernel's feet).
 *
 * <p>Stateless; thread-safe.
 */
public final class NativeBuffers {
    private NativeBuffers() {
    }

    /** Base address (ignores position, like {@code Native.getDirectBufferPointer}). */
    public static long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("heap buffers move: only direct buffers can be used for overlapped I/O");
        }
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    /** Address of the buffer's current position. */
    public static long positionAddress(ByteBuffer direct) {
        return address(direct) + direct.position();
    }
}
