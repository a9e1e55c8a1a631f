/**
 * The runtime core shared by every backend (not an API): contexts and their arenas, the connection and protocol
 * state machine (write queue, lines framing, sendComplete chains, back-pressure, rate limits, idle timeouts,
 * half-close), the main-thread loop and queue, servers, clients, timers, counters and the backend selection.
 * Backends reach it only through the {@code io.pxj.runtime.spi} interfaces.
 */
package io.pxj.runtime.internal;
