package io.pxj.runtime.windows;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * OVERLAPPED address -> {@link IoOp}, like the JDK's {@code sun.nio.ch.Iocp} keeps its OVERLAPPED-to-future
 * map: the kernel is only ever given addresses of native memory, never Java identity. An op registers when its
 * native block is allocated and unregisters just before the block is freed, so a completion always finds the
 * memory it refers to, and an address reused by malloc can never reach the previous owner.
 *
 * <p>Ops are long-lived (reused across operations and, through socket recycling, across connections), so the
 * map changes only when sockets are created or destroyed; the per-completion cost is one lookup.
 *
 * <p>Thread-safe.
 */
final class OpRegistry {
    private final ConcurrentHashMap<Long, IoOp> ops = new ConcurrentHashMap<>();
    final LongAdder staleCompletions = new LongAdder();
    final LongAdder unknownCompletions = new LongAdder();

    void register(IoOp op) {
        IoOp prev = ops.putIfAbsent(op.address(), op);
        if (prev != null) {
            throw new IllegalStateException("OVERLAPPED address registered twice: " + op + " / " + prev);
        }
    }

    void unregister(IoOp op) {
        ops.remove(op.address(), op);
    }

    IoOp get(long overlappedAddress) {
        return ops.get(overlappedAddress);
    }

    /** Ops whose native memory is still allocated. */
    int size() {
        return ops.size();
    }

    /** Ops with an operation in flight (walks the map: diagnostics and shutdown only). */
    int pending() {
        int n = 0;
        for (IoOp op : ops.values()) if (op.isPending()) n++;
        return n;
    }

    /** Snapshot for shutdown diagnostics. */
    java.util.List<IoOp> snapshot() {
        return new java.util.ArrayList<>(ops.values());
    }
}
