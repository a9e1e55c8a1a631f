package io.pxj.runtime.windows;

import io.pxj.runtime.spi.Channel;
import io.pxj.win32.NativeMemory;
import io.pxj.win32.Overlapped;
import io.pxj.win32.SockAddr;
import io.pxj.win32.TransmitFileBuffers;
import io.pxj.win32.Winsock;
import io.pxj.win32.WsaBufArray;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One reusable overlapped operation slot: a single native block holding the OVERLAPPED (offset 0) and the
 * operation's other kernel-visible memory (WSABUFs, TRANSMIT_FILE_BUFFERS, AcceptEx address areas, a sockaddr).
 * The kernel only ever sees {@link #address()}; the {@link OpRegistry} maps it back to this object.
 *
 * <h2>Lifetime</h2>
 * A small state machine makes "native memory lives until the completion is seen" explicit:
 * <pre>
 *   IDLE --begin--> PENDING --complete/endSync--> IDLE
 *   IDLE --retire--> FREED                      (nothing in flight: freed at once)
 *   PENDING --retire--> PENDING_RETIRED --complete--> FREED   (a stale completion frees it)
 * </pre>
 * While PENDING the direct buffers the operation reads or writes are held in {@link #pins} so they stay
 * strongly reachable until the completion.
 *
 * <p>Threading: {@link #begin} is called by the op's single issuer (the connection's serialised drain or the
 * listener); completion may arrive on any pool thread; {@link #retire} from any thread. Transitions are CAS'd.
 * The result fields are written by the completing thread before the op is handed to its target through a
 * queue (a happens-before edge).
 */
final class IoOp {
    enum Kind { CONTROL, RECV, SEND }

    static final int IDLE = 0, PENDING = 1, PENDING_RETIRED = 2, FREED = 3;

    /** TRANSMIT_FILE_BUFFERS right after the OVERLAPPED at the start of every block (SEND ops). */
    static final int TFB_OFFSET = Overlapped.SIZE;
    /** WSABUF array of SEND/RECV ops. */
    static final int WSABUF_OFFSET = TFB_OFFSET + TransmitFileBuffers.SIZE;
    /** Gathered-send capacity: the core gathers at most Channel.MAX_GATHER buffers into one send. */
    static final int MAX_WSABUFS = Channel.MAX_GATHER;
    /** CONTROL ops: AcceptEx output buffer (no first data), then a sockaddr_storage for ConnectEx. */
    static final int ACCEPT_BUFFER_OFFSET = Overlapped.SIZE;
    static final int ACCEPT_BUFFER_SIZE = Winsock.acceptExBufferSize(0);
    static final int SOCKADDR_OFFSET = ACCEPT_BUFFER_OFFSET + ACCEPT_BUFFER_SIZE;

    /** What the pending CONTROL op is doing (for routing and diagnostics). */
    enum Control { NONE, ACCEPT, CONNECT, DISCONNECT }

    final Kind kind;
    final NativeMemory memory;
    final Overlapped overlapped;
    final WsaBufArray wsabufs; // null for CONTROL
    final TransmitFileBuffers transmitBuffers; // SEND only
    private final long address;
    private final AtomicInteger state = new AtomicInteger(IDLE);

    /** The socket this op belongs to (set once by its {@link IoSocket}). */
    IoSocket socket;
    /** Who receives the completion of the operation in flight (set by {@link #begin}). */
    volatile OpTarget target;
    Control control = Control.NONE;
    /** Direct buffers the kernel may touch while PENDING (strong references until completion). */
    final ByteBuffer[] pins;
    int pinCount;
    /** Result of the last completion (synchronous or not): Win32 error (0 = success) and bytes. */
    int error;
    long bytes;
    /** True if the last result was produced inline (synchronous outcome), false if through the pool. */
    boolean inline;

    private final OpRegistry registry;

    IoOp(Kind kind, OpRegistry registry) {
        this.kind = kind;
        this.registry = registry;
        int size = switch (kind) {
            case CONTROL -> SOCKADDR_OFFSET + SockAddr.STORAGE_SIZE;
            case RECV -> WSABUF_OFFSET + WsaBufArray.ENTRY_SIZE;
            case SEND -> WSABUF_OFFSET + WsaBufArray.ENTRY_SIZE * MAX_WSABUFS;
        };
        this.memory = NativeMemory.allocate(size);
        this.overlapped = new Overlapped(memory, 0);
        this.wsabufs = kind == Kind.CONTROL ? null
                : new WsaBufArray(memory, WSABUF_OFFSET, kind == Kind.RECV ? 1 : MAX_WSABUFS);
        this.transmitBuffers = kind == Kind.SEND ? new TransmitFileBuffers(memory, TFB_OFFSET) : null;
        this.pins = new ByteBuffer[kind == Kind.SEND ? MAX_WSABUFS + 2 : 1];
        this.address = memory.address();
        registry.register(this);
        registry.nativeBytes.add(size);
    }

    /** Unmaps, then frees: the address leaves the registry before malloc can hand it out again. */
    private void free() {
        unpin();
        target = null;
        registry.unregister(this);
        registry.nativeBytes.add(-memory.size());
        memory.close();
    }

    /** The OVERLAPPED address: what the kernel echoes back. Stable for the life of the op. */
    long address() {
        return address;
    }

    int state() {
        return state.get();
    }

    boolean isPending() {
        int s = state.get();
        return s == PENDING || s == PENDING_RETIRED;
    }

    boolean isFreed() {
        return state.get() == FREED;
    }

    /** IDLE -> PENDING; zeroes the OVERLAPPED. Throws if an operation is already in flight or the op is retired. */
    void begin(OpTarget target) {
        if (!state.compareAndSet(IDLE, PENDING)) {
            throw new IllegalStateException(kind + " operation not idle (state " + state.get() + ")");
        }
        this.target = target;
        overlapped.reset();
    }

    void pin(ByteBuffer b) {
        pins[pinCount++] = b;
    }

    private void unpin() {
        for (int i = 0; i < pinCount; i++) { pins[i] = null; }
        pinCount = 0;
    }

    /** RECV only: System.nanoTime() when the operation completed (synchronously or through the pool). */
    long completedNanos;

    /**
     * Records a result and leaves PENDING.
     *
     * @return true if the op is live (deliver the result), false if it was retired meanwhile: this call freed
     *         the memory (a stale completion) and nothing may be delivered
     */
    boolean complete(int error, long bytes, boolean inline) {
        this.error = error;
        this.bytes = bytes;
        this.inline = inline;
        if (kind == Kind.RECV) {
            completedNanos = System.nanoTime(); // time in server starts at the receive's completion
        }
        for (;;) {
            int s = state.get();
            if (s == PENDING) {
                if (state.compareAndSet(PENDING, IDLE)) { return true; }
            } else if (s == PENDING_RETIRED) {
                if (state.compareAndSet(PENDING_RETIRED, FREED)) {
                    free();
                    registry.staleCompletions.increment();
                    return false;
                }
            } else {
                throw new IllegalStateException(kind + " completion without a pending operation (state " + s + ")");
            }
        }
    }

    /** Drops the buffer references of a delivered operation (the owner calls it once it consumed the result). */
    void release() {
        unpin();
    }

    /**
     * The owner is gone: frees now if idle, else marks the op so its completion frees it.
     *
     * @return true if the memory was freed now
     */
    boolean retire() {
        for (;;) {
            int s = state.get();
            if (s == IDLE) {
                if (state.compareAndSet(IDLE, FREED)) {
                    free();
                    return true;
                }
            } else if (s == PENDING) {
                if (state.compareAndSet(PENDING, PENDING_RETIRED)) { return false; }
            } else {
                return s == FREED;
            }
        }
    }

    @Override
    public String toString() {
        return "IoOp[" + kind + (control != Control.NONE ? "/" + control : "") + " @0x" + Long.toHexString(address)
                + " state " + state.get() + "]";
    }
}
