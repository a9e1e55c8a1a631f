package io.pxj.demo.load;

/**
 * When one connection sends, and how latency is measured: the coordinated-omission logic, pure and driven by a
 * clock the caller passes in (tests use a fake one).
 *
 * <ul>
 *   <li><b>Closed loop</b> ({@code intervalNanos == 0}): keep {@code pipeline} requests in flight; a request's
 *       latency runs from when it was sent.</li>
 *   <li><b>Fixed rate</b>: request {@code k} is <em>intended</em> to start at {@code start + k * interval}. It is
 *       sent then if fewer than {@code pipeline} requests are in flight, otherwise as soon as one completes; its
 *       latency always runs from its intended start time. So a server stall is charged to every request that
 *       should have been sent during it, not just to the one that was stuck (wrk2's correction).</li>
 * </ul>
 * {@link #complete} also returns the uncorrected service time (from the actual send), for comparison.
 *
 * <p>Not thread-safe: callers serialize access (the connection's callbacks and its rate timer lock it).
 */
public final class LoadSchedule {
    private final long start;
    private final long interval;
    private final int pipeline;
    private final long[] intended; // ring of in-flight requests: intended start times
    private final long[] sentAt;   //                              actual send times
    private int head;
    private int inFlight;
    private long scheduled; // next request number to send (fixed rate)
    private long sent;
    private long lastServiceNanos;

    public LoadSchedule(long startNanos, long intervalNanos, int pipeline) {
        if (intervalNanos < 0) { throw new IllegalArgumentException("interval must be >= 0: " + intervalNanos); }
        if (pipeline < 1) { throw new IllegalArgumentException("pipeline must be >= 1: " + pipeline); }
        this.start = startNanos;
        this.interval = intervalNanos;
        this.pipeline = pipeline;
        this.intended = new long[pipeline];
        this.sentAt = new long[pipeline];
    }

    public boolean fixedRate() {
        return interval > 0;
    }

    /**
     * How many requests to send now; each is recorded as in flight with its intended start time.
     */
    public int sendable(long now) {
        int n = 0;
        while (inFlight < pipeline) {
            long when;
            if (interval > 0) {
                when = start + scheduled * interval;
                if (when > now) { break; }
                scheduled++;
            } else {
                when = now;
            }
            int slot = (head + inFlight) % pipeline;
            intended[slot] = when;
            sentAt[slot] = now;
            inFlight++;
            n++;
        }
        sent += n;
        return n;
    }

    /**
     * The oldest in-flight request completed at {@code now}.
     *
     * @return its latency (from the intended start: coordinated-omission corrected); the uncorrected service
     *         time is then {@link #lastServiceNanos()}
     */
    public long complete(long now) {
        if (inFlight == 0) { throw new IllegalStateException("a response arrived with no request in flight"); }
        long latency = now - intended[head];
        lastServiceNanos = now - sentAt[head];
        head = (head + 1) % pipeline;
        inFlight--;
        return Math.max(0, latency);
    }

    /** Service time of the last completed request (from its actual send; not corrected). */
    public long lastServiceNanos() {
        return Math.max(0, lastServiceNanos);
    }

    public int inFlight() {
        return inFlight;
    }

    public long sent() {
        return sent;
    }

    /** Fixed rate: requests whose intended time has passed but that are not sent yet (the backlog). */
    public long backlog(long now) {
        if (interval == 0 || now < start) { return 0; }
        long due = (now - start) / interval + 1;
        return Math.max(0, due - scheduled);
    }

    /** Fixed rate: when the next request is intended to start. */
    public long nextIntended() {
        return start + scheduled * interval;
    }
}
