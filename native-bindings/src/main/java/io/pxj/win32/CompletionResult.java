package io.pxj.win32;

/**
 * Reusable holder for one dequeued completion packet ({@link CompletionPort#dequeue}). Not thread-safe: one per
 * dequeuing thread.
 */
public final class CompletionResult {
    private long completionKey;
    private long overlappedAddress;
    private long bytes;
    private int error;

    public long completionKey() {
        return completionKey;
    }

    /** 0 for a posted packet without OVERLAPPED. */
    public long overlappedAddress() {
        return overlappedAddress;
    }

    public long bytesTransferred() {
        return bytes;
    }

    /** Win32 error of the dequeued I/O, 0 on success. */
    public int error() {
        return error;
    }

    /** Sets every field; used by implementations and tests. */
    public CompletionResult set(long completionKey, long overlappedAddress, long bytes, int error) {
        this.completionKey = completionKey;
        this.overlappedAddress = overlappedAddress;
        this.bytes = bytes;
        this.error = error;
        return this;
    }

    @Override
    public String toString() {
        return "CompletionResult[key=" + completionKey + ", overlapped=0x" + Long.toHexString(overlappedAddress)
                + ", bytes=" + bytes + ", error=" + error + "]";
    }
}
