/**
 * The event-loop backend: {@code threads} event loops, each a daemon thread with its own poller, owning the
 * connections it was given. Protocol callbacks run on the owning loop in the connection's context (no hand-off on
 * the hot path); submitted work, timer ticks and waits are spread over the same loops round-robin.
 *
 * <h2>Transports</h2>
 * The loops, channels and listeners sit on one of two socket layers ({@link io.pxj.runtime.nio.NioTransport}):
 * <ul>
 *   <li>"nio" ({@code JdkTransport}): the JDK's {@link java.nio.channels.Selector} and socket channels. Portable;
 *       the fallback everywhere.</li>
 *   <li>"epoll" ({@code EpollTransport}): epoll and raw non-blocking descriptors through {@code io.pxj.linux};
 *       64-bit Linux. Per accepted connection it spares the JDK's {@code fcntl} calls, its {@code getsockname}
 *       calls and its channel objects: a one-request connection costs {@code accept4}, {@code read},
 *       {@code write} and {@code close}, and a listener with {@code deferAccept} (TCP_DEFER_ACCEPT) hands over
 *       connections with their first bytes. The per-connection calls go through a JNI library when it loaded;
 *       then this is the default backend on Linux. Through JNA alone each call costs more than the JDK's own, so
 *       it is then opt-in ({@code -Dpxj.backend=epoll}).</li>
 * </ul>
 * Both pass the same behaviour suite.
 *
 * <h2>Threading</h2>
 * Everything a loop owns (its poller, channels, timer heap) is touched only by that loop's thread. Other
 * threads reach a loop only through its task queue (lock-free) plus a poller wake-up that is issued only when
 * the loop is about to block or blocked. A channel performs the core's requests after the handler call that
 * made them returns (a trampoline), so handler calls never nest and never overlap.
 *
 * <h2>{@link io.pxj.runtime.IoMode} mapping</h2>
 * <ul>
 *   <li>{@code THROUGHPUT}: per readiness event up to 16 reads, continuing while each read filled the buffer;
 *       writes retried up to 16 times while they make progress before waiting for {@code OP_WRITE}.</li>
 *   <li>{@code CONCURRENCY} (default): one read per readiness event (fair to many connections); one write
 *       attempt, then {@code OP_WRITE}.</li>
 *   <li>{@code LOW_LATENCY}: one read per readiness event, writes retried up to 16 times, and an eager read
 *       attempt right after each completed send, so a pipelined request is seen without a select round-trip.</li>
 * </ul>
 * In every mode a send is attempted as soon as the callback that produced it returns (no flush batching), and
 * gathered sends are one {@code writev(2)}; file sends are {@code sendfile(2)} in a loop on Linux
 * ({@link java.nio.channels.FileChannel#transferTo} on the nio transport).
 *
 * <h2>Limits</h2>
 * On the nio transport, java.nio cannot set {@code IPV6_V6ONLY}: an IPv6-only listener on the wildcard address
 * is bound dual-stack and refuses IPv4 peers at accept (counted as {@code v4RefusedOnV6Only}); the IPv4 port
 * stays taken. The epoll transport sets the option itself.
 */
package io.pxj.runtime.nio;
