package io.pxj.win32;

import io.pxj.win32.raw.Structs.OVERLAPPED_ENTRY;

/**
 * A reusable native array of OVERLAPPED_ENTRY for {@link CompletionPort#dequeueBatch}, plus the per-entry
 * Win32 error computed by the port from each OVERLAPPED's NTSTATUS.
 *
 * <p>Not thread-safe: one per dequeuing thread. {@link #close()} is idempotent.
 */
public final class CompletionEntries implements AutoCloseable {
    private final NativeMemory memory;
    private final int capacity;
    private final int[] errors;
    private int count;

    private CompletionEntries(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0: " + capacity);
        }
        this.capacity = capacity;
        this.memory = NativeMemory.allocate((long) capacity * OVERLAPPED_ENTRY.SIZEOF);
        this.errors = new int[capacity];
    }

    public static CompletionEntries allocate(int capacity) {
        return new CompletionEntries(capacity);
    }

    public int capacity() {
        return capacity;
    }

    /** Entries filled by the last dequeue. */
    public int count() {
        return count;
    }

    /** Address of the OVERLAPPED_ENTRY array. */
    public long address() {
        return memory.address();
    }

    public long completionKey(int i) {
        return memory.getLong(entry(i) + OVERLAPPED_ENTRY.lpCompletionKey);
    }

    public long overlappedAddress(int i) {
        return memory.getLong(entry(i) + OVERLAPPED_ENTRY.lpOverlapped);
    }

    /** dwNumberOfBytesTransferred (a DWORD, returned unsigned). */
    public long bytesTransferred(int i) {
        return Integer.toUnsignedLong(memory.getInt(entry(i) + OVERLAPPED_ENTRY.dwNumberOfBytesTransferred));
    }

    /** Win32 error of entry {@code i} (0 = success). */
    public int error(int i) {
        checkIndex(i);
        return errors[i];
    }

    /** Sets one entry; for implementations and tests. */
    public void set(int i, long completionKey, long overlappedAddress, int bytes) {
        long e = entry(i);
        memory.putLong(e + OVERLAPPED_ENTRY.lpCompletionKey, completionKey);
        memory.putLong(e + OVERLAPPED_ENTRY.lpOverlapped, overlappedAddress);
        memory.putLong(e + OVERLAPPED_ENTRY.Internal, 0);
        memory.putInt(e + OVERLAPPED_ENTRY.dwNumberOfBytesTransferred, bytes);
    }

    /** Records how many entries the last dequeue filled and clears their errors; for implementations and tests. */
    public void setCount(int count) {
        if (count < 0 || count > capacity) {
            throw new IllegalArgumentException("count " + count + " outside [0, " + capacity + "]");
        }
        this.count = count;
        java.util.Arrays.fill(errors, 0, count, 0);
    }

    /** For implementations and tests. */
    public void setError(int i, int error) {
        checkIndex(i);
        errors[i] = error;
    }

    @Override
    public void close() {
        memory.close();
    }

    private long entry(int i) {
        checkIndex(i);
        return (long) i * OVERLAPPED_ENTRY.SIZEOF;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= capacity) {
            throw new IndexOutOfBoundsException("entry " + i + " outside [0, " + capacity + ")");
        }
    }
}
