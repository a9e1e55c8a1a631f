/**
 * The Windows backend: I/O completion ports and the Vista+ thread pool, through the {@code io.pxj.win32}
 * facade interfaces only (no JNA type, no {@code io.pxj.win32.raw}).
 *
 * <h2>Shape</h2>
 * <ul>
 *   <li>{@link io.pxj.runtime.windows.WindowsBackendProvider}: "windows", priority 100; available iff
 *       {@code io.pxj.win32.Windows.isAvailable()} (which loads nothing native off Windows).</li>
 *   <li>{@link io.pxj.runtime.windows.WindowsBackend}: one private thread pool with min = max =
 *       {@code BackendConfig.maxThreads} (PxJ's default 2 x cores; no idle thread is retired, because a retiring
 *       thread would be detached from the JVM inside DllMain: JNA issue #1479) with a cleanup group; the main queue
 *       is a completion port that only carries wake-up packets.</li>
 *   <li>Servers: overlapped listening socket (SO_EXCLUSIVEADDRUSE, IPV6_V6ONLY as asked), {@code acceptsPosted}
 *       AcceptEx kept posted (default cores x 4) and topped up on every completion, SO_UPDATE_ACCEPT_CONTEXT,
 *       GetAcceptExSockaddrs.</li>
 *   <li>Every socket: a PoolIo, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS if its provider returns IFS handles
 *       (XP1_IFS_HANDLES; otherwise every result comes through the port), and three reusable operation slots whose
 *       native blocks hold the OVERLAPPED and its WSABUFs / TRANSMIT_FILE_BUFFERS / AcceptEx buffer / sockaddr.
 *       StartThreadpoolIo before every call, CancelThreadpoolIo on every outcome that queues no packet.</li>
 *   <li>I/O: WSARecv, gathered WSASend (up to 64 WSABUFs, partial writes continued), TransmitFile on server
 *       editions (ranged via OVERLAPPED.Offset/OffsetHigh, head/tail via TRANSMIT_FILE_BUFFERS, files opened
 *       overlapped, chunked below 2^31 bytes) and 64 KiB file chunks sent with WSASend on client editions (two
 *       TransmitFile at a time there), ConnectEx on a wildcard-bound socket + SO_UPDATE_CONNECT_CONTEXT.</li>
 *   <li>Close: graceful after the peer closed first = DisconnectEx(TF_REUSE_SOCKET) and the socket (with its
 *       PoolIo and op memory) goes back to its listener's accept pool or to the client socket pool; graceful after
 *       our own close first = closesocket (a DisconnectEx would sit out TIME_WAIT holding everything); abortive =
 *       SO_LINGER 0 + CancelIoEx + closesocket. No overlapped call is ever issued on a handle being closed.</li>
 *   <li>Work: TrySubmitThreadpoolCallback, falling back to a PoolWork + queue when Windows refuses; timers:
 *       PoolTimer (one-shot and periodic); waits: PoolWait on a manual-reset kernel event.</li>
 * </ul>
 *
 * <h2>Memory and identity rules</h2>
 * The kernel never sees Java identity: it gets OVERLAPPED addresses, mapped back through
 * {@link io.pxj.runtime.windows.OpRegistry} (the facade maps its own callback contexts). An operation's native
 * memory and the direct buffers it uses stay reachable until its completion is seen; after a close, late
 * completions are "stale" and free the memory when they arrive. Ops still owned by the kernel when
 * {@code close(timeout)} gives up (after stopping new calls, CancelIoEx and a bounded wait) are abandoned, never
 * freed, and the thread pool is then leaked with them rather than closed.
 *
 * <h2>What runs where</h2>
 * I/O completions run on pool threads and are handed to the connection's serial queue; the thread that finds the
 * queue idle drains it (inline at the top of a completion callback, otherwise via a pool submission), so handler
 * calls of one connection never overlap and pool threads never block on a per-connection lock. Timers, waits and
 * submitted work run on pool threads. The main thread only drains the {@code MainQueue}.
 *
 * <h2>IoMode mapping</h2>
 * With skip-on-success, each overlapped WSARecv/WSASend is itself the "synchronous attempt" PyParallel made
 * with a non-blocking retry loop: it either completes inline (handled on the same thread, no packet) or goes
 * pending (the overlapped fallback, completed through the pool). The mode sets how many inline completions one
 * connection handles back-to-back on the current thread before it yields the thread by re-submitting itself
 * to the pool:
 * <ul>
 *   <li>{@code THROUGHPUT}: 16 (stay on the hot thread, batch through a burst);</li>
 *   <li>{@code CONCURRENCY} (default): 1 (one inline step, then give other connections the thread);</li>
 *   <li>{@code LOW_LATENCY}: 64 (practically never hop threads in a request/response exchange; bounded only for
 *       fairness).</li>
 * </ul>
 * {@code tcpNoDelay} maps to TCP_NODELAY (on by default).
 *
 * <h2>Testing</h2>
 * Here (any OS) the backend logic is unit-tested with Mockito against the facade interfaces
 * ({@code io.pxj.runtime.windows} tests): call order of StartThreadpoolIo/CancelThreadpoolIo for every
 * operation and outcome, memory lifetimes, accept top-up, socket reuse, close with I/O pending and the shutdown
 * order. The real backend runs on the Windows CI runners ({@code windows-ci.yml}): the
 * {@code @EnabledOnOs(WINDOWS)} integration tests, skipped elsewhere with a visible reason.
 */
package io.pxj.runtime.windows;
