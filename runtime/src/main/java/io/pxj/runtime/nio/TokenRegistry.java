package io.pxj.runtime.nio;

import java.util.Arrays;

/**
 * Maps the 64-bit tokens handed to the kernel (epoll's {@code data}) to their objects, so the kernel never holds an
 * object's identity. A token is a slot index and that slot's generation: once {@link #release}d, the token finds
 * nothing even after the slot is reused, so an event queued for a socket closed earlier in the same batch (or for
 * a descriptor number since reused) is dropped, like a stale completion after close. Token 0 is never issued.
 *
 * <p>Threading: confined to the owning loop thread. Steady-state register/release allocates nothing.
 */
final class TokenRegistry {
    private Object[] slots = new Object[256];
    private int[] generations = new int[256];
    private int[] free = new int[256];
    private int freeCount;
    private int used;

    /** A token for {@code attachment}, valid until {@link #release}. */
    long register(Object attachment) {
        if (attachment == null) { throw new IllegalArgumentException("null attachment"); }
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (used == slots.length) {
                slots = Arrays.copyOf(slots, used * 2);
                generations = Arrays.copyOf(generations, used * 2);
                free = Arrays.copyOf(free, used * 2);
            }
            slot = used++;
            generations[slot] = 1; // generation 0 is never issued: token 0 means "none"
        }
        slots[slot] = attachment;
        return ((long) generations[slot] << 32) | slot;
    }

    /** Forgets a token: later lookups of it find nothing. Releasing a stale or unknown token does nothing. */
    void release(long token) {
        int slot = (int) token;
        if (slot < 0 || slot >= used || slots[slot] == null || generations[slot] != (int) (token >>> 32)) {
            return;
        }
        slots[slot] = null;
        if (++generations[slot] == 0) { generations[slot] = 1; } // after 2^32 reuses: still never token 0
        free[freeCount++] = slot;
    }

    /** The object registered under {@code token}, or null if it was released (or never issued). */
    Object lookup(long token) {
        int slot = (int) token;
        if (slot < 0 || slot >= used || generations[slot] != (int) (token >>> 32)) { return null; }
        return slots[slot];
    }

    /** How many tokens are live. */
    int size() {
        return used - freeCount;
    }
}
