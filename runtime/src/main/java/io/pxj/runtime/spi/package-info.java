/**
 * The backend SPI: what a backend (windows, epoll, nio) must provide so the runtime core can run PxJ programs on it.
 *
 * <p>Division of labour. The core ({@code io.pxj.runtime}) owns everything that must behave identically on every
 * backend: contexts and arenas, the protocol state machine (return values, write queue, lines framing,
 * sendComplete chains, rate limits, back-pressure, idle timeouts, error reporting), the main-thread loop and the
 * counters. A backend owns threads and I/O only: it runs tasks on its pool, fires timers and waits, accepts and
 * connects sockets, and performs one read or one send at a time when the core asks, reporting each outcome to
 * the connection's {@link io.pxj.runtime.spi.ConnectionHandler}.
 *
 * <p>Backends are found with {@link java.util.ServiceLoader} ({@link io.pxj.runtime.spi.BackendProvider});
 * {@code -Dpxj.backend=NAME} forces one.
 */
package io.pxj.runtime.spi;
