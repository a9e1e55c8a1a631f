package io.pxj.runtime.windows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * OVERLAPPED address -> {@link IoOp}, like the JDK's {@code sun.nio.ch.Iocp} keeps its OVERLAPPED-to-future
 * map: the kernel is only ever given addresses of native memory, never Java identity. An op registers when its
 * native block is allocated and unregisters just before the block is freed, so a completion always finds the
 * memory it refers to, and an address reused by malloc can never reach the previous owner.
 *
 * <p>Ops are long-lived (reused across operations and, through socket recycling, across connections), so the
 * map changes only when sockets are created or destroyed; the per-completion cost is one lookup, which boxes
 * nothing: a {@link StripedLongMap} (an optimistic read of one stripe of an open-addressing {@code long} table).
 *
 * <p>Thread-safe.
 */
final class OpRegistry {
    private final StripedLongMap<IoOp> ops = new StripedLongMap<>();
    final LongAdder staleCompletions = new LongAdder();
    /** Native bytes of the live operations' blocks (OVERLAPPED, WSABUFs, addresses): Backend.directBytes. */
    final LongAdder nativeBytes = new LongAdder();
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
        int[] n = {0};
        ops.forEachValue(op -> {
            if (op.isPending()) { n[0]++; }
        });
        return n[0];
    }

    /** Snapshot for shutdown diagnostics. */
    List<IoOp> snapshot() {
        List<IoOp> out = new ArrayList<>(ops.size());
        ops.forEachValue(out::add);
        return out;
    }
}
