package io.pxj.runtime.nio;

/**
 * Decides whether an accepted connection tries its first read before it joins the selector.
 *
 * <p>The read pays when the request has already arrived, as it has on a busy server whose backlog holds connections
 * the client has long written to: the connection is then read, answered and closed without an {@code epoll_ctl}
 * or a wake-up. On a server that keeps up, accept runs as soon as the handshake completes, the read finds nothing
 * and costs a syscall on top of the registration. A score follows the outcomes (a hit +3, a miss -2: it rises
 * while more than 40% of the reads find data, about where the read breaks even); below zero only every 16th
 * connection probes, so a change of load is still noticed.
 *
 * <p>Threading: confined to the owning loop thread.
 */
final class FirstReadProbe {
    private static final int MAX = 48;
    private int score;
    private int skipped;

    /** Whether the next accepted connection should try its first read before registering. */
    boolean shouldProbe() {
        return score >= 0 || (++skipped & 15) == 0;
    }

    /** The outcome of a first read tried because {@link #shouldProbe} said so. */
    void result(boolean foundData) {
        score = foundData ? Math.min(MAX, score + 3) : Math.max(-MAX, score - 2);
    }
}
