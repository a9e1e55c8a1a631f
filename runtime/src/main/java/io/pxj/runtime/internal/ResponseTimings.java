package io.pxj.runtime.internal;

/**
 * The timed responses of one connection ({@link io.pxj.runtime.Transport#timeResponse}) waiting for their last
 * byte to be sent, oldest first: where each ends in the outbound byte stream, when it started and its tag. The
 * oldest lives in fields and the others (pipelined responses) in a ring of primitive arrays, grown by doubling and
 * allocated only when two are waiting at once, so timing allocates nothing per response. A connection holds one
 * only while a timed response waits (on an nio loop it comes from and goes back to the loop's {@link Spares}).
 *
 * <p>Threading: the connection's event thread only.
 */
final class ResponseTimings {
    private long firstEnd;
    private long firstStart;
    private int firstTag;
    private long[] end;               // the ring of the others; null until two are waiting at once
    private long[] start;
    private int[] tag;
    private int head;
    private int count;                // the oldest included
    private long polledStart;
    private int polledTag;

    /** How many wait: the mark a callback that fails rolls back to. */
    int count() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** The callback failed: its output is not sent, so the responses it timed never will be. */
    void rollback(int mark) {
        count = mark;
    }

    /** Nothing queued will be sent any more. */
    void clear() {
        count = 0;
    }

    /** Times a response whose last byte is at {@code endPosition} of the connection's outbound byte stream. */
    void add(long endPosition, long startNanos, int responseTag) {
        if (count == 0) {
            firstEnd = endPosition;
            firstStart = startNanos;
            firstTag = responseTag;
            count = 1;
            return;
        }
        if (end == null) {
            end = new long[4];
            start = new long[4];
            tag = new int[4];
            head = 0;
        } else if (count - 1 == end.length) {
            grow();
        }
        int i = (head + count - 1) % end.length;
        end[i] = endPosition;
        start[i] = startNanos;
        tag[i] = responseTag;
        count++;
    }

    /** True if the oldest timed response has been sent completely. */
    boolean due(long sentEnd) {
        return count > 0 && firstEnd <= sentEnd;
    }

    /** Removes the oldest; its start and tag are then {@link #polledStart} and {@link #polledTag}. */
    void poll() {
        polledStart = firstStart;
        polledTag = firstTag;
        count--;
        if (count > 0) {
            int i = head;
            firstEnd = end[i];
            firstStart = start[i];
            firstTag = tag[i];
            head = (i + 1) % end.length;
        }
    }

    /** When the response removed by the last {@link #poll} started. */
    long polledStart() {
        return polledStart;
    }

    /** The tag of the response removed by the last {@link #poll}. */
    int polledTag() {
        return polledTag;
    }

    private void grow() {
        int n = end.length;
        int others = count - 1;
        long[] e = new long[n * 2];
        long[] s = new long[n * 2];
        int[] t = new int[n * 2];
        for (int k = 0; k < others; k++) {
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
