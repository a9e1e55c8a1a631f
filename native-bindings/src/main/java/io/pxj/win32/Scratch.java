package io.pxj.win32;

/**
 * Per-thread native scratch memory for the out-parameters and small inputs of synchronous calls (byte counts,
 * flags, option values, FILETIMEs, sockaddrs for bind). Never used for anything the kernel may touch after the
 * call returns. Each thread's block lives as long as the thread.
 */
final class Scratch {
    static final int SIZE = 512;
    private static final ThreadLocal<NativeMemory> SCRATCH = ThreadLocal.withInitial(() -> NativeMemory.allocate(SIZE));

    private Scratch() {
    }

    static NativeMemory get() {
        return SCRATCH.get();
    }
}
