package io.pxj.runtime.internal;

/**
 * The timed responses of one connection ({@link io.pxj.runtime.Transport#timeResponse}) waiting for their last
 * byte to be sent: a ring, oldest first, of where each ends in the outbound byte stream, when it started and its
 * tag. Primitive arrays, grown by doubling, so timing allocates nothing per response.
 *
 * <p>Threading: the connection's event thread only.
 */
final class ResponseTimings {
    private long[] end;
    private long[] start;
    private int[] tag;
    private int head;
    private int count;
    private long outputBase;          // the queue's end when the running callback began: its output starts here

    /** A callback begins; its output starts at {@code queuedEnd}. Returns the mark to roll back to. */
    int begin(long queuedEnd) {
        outputBase = queuedEnd;
        return count;
    }

    /** The callback failed: its output is not sent, so the responses it timed never will be. */
    void rollback(int mark) {
        count = mark;
    }

    /** Nothing queued will be sent any more. */
    void clear() {
        count = 0;
    }

    /** Times a response ending {@code outputBytes} into the running callback's output. */
    void add(long outputBytes, long startNanos, int responseTag) {
        if (end == null) {
            // small: most connections carry one response at a time (a churned one, exactly one); pipelining grows it
            end = new long[4];
            start = new long[4];
            tag = new int[4];
        } else if (count == end.length) {
            grow();
        }
        int i = (head + count) % end.length;
        end[i] = outputBase + outputBytes;
        start[i] = startNanos;
        tag[i] = responseTag;
        count++;
    }

    /** True if the oldest timed response has been sent completely. */
    boolean due(long sentEnd) {
        return count > 0 && end[head] <= sentEnd;
    }

    /** Removes the oldest; returns its slot for {@link #start} and {@link #tag} (valid until the next add). */
    int poll() {
        int i = head;
        head = (i + 1) % end.length;
        count--;
        return i;
    }

    long start(int slot) {
        return start[slot];
    }

    int tag(int slot) {
        return tag[slot];
    }

    private void grow() {
        int n = end.length;
        long[] e = new long[n * 2];
        long[] s = new long[n * 2];
        int[] t = new int[n * 2];
        for (int k = 0; k < count; k++) {
            int i = (head + k) % n;
            e[k] = end[i];
            s[k] = start[i];
            t[k] = tag[i];
        }
        end = e;
        start = s;
        tag = t;
        head = 0;
    }
}
