/**
 * HTTP/1.1 on PxJ's Protocol API.
 *
 * <p>{@link io.pxj.http.HttpServer} builds a routing table and hands the runtime a protocol factory; each
 * connection gets its own protocol, request and response objects, parser, and scratch arrays, so nothing is
 * shared between connections except the immutable routing table, the cached {@link io.pxj.http.HttpDate}, and
 * the counters. Requests are parsed in place in the connection's receive buffer; responses are encoded into
 * the connection's arena and returned from {@code dataReceived} (PyParallel's "the return value is the
 * response"), so a keep-alive, pipelined request stream produces no per-request heap garbage on the fast path.
 *
 * <h2>Threading contract</h2>
 * <ul>
 *   <li>One protocol instance per connection; the runtime calls it one callback at a time, on a pool thread,
 *       inside the connection's {@link io.pxj.runtime.ParallelContext}.</li>
 *   <li>{@link io.pxj.http.HttpHandler}s and the {@link io.pxj.http.RequestListener} are shared by all
 *       connections and run concurrently: they must be thread-safe and must not keep the request, the
 *       response, or any buffer view beyond the call ("don't persist parallel objects").</li>
 *   <li>The server's maintenance timer (Date refresh, timeouts) runs on another pool thread and coordinates
 *       with connections through one CAS per read.</li>
 * </ul>
 */
package io.pxj.http;
