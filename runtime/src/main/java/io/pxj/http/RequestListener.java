package io.pxj.http;

/**
 * Hears every response the server produces, for latency histograms and access statistics (the demo records
 * into HdrHistogram; the runtime stays free of that dependency). Two figures per response:
 * <ul>
 *   <li><b>handler time</b> ({@link #requestCompleted}): routing, the handler and encoding the response, from the
 *       parsed request head to the encoded response. It excludes waiting, parsing and sending.</li>
 *   <li><b>server time</b> ({@link #responseSent}): the time the request spent in the server, from the read
 *       completion that delivered the last byte of its head (pipelined requests delivered by one read share that
 *       moment) to the completion of the send that handed the last byte of its response to the kernel. It
 *       includes waiting behind earlier requests and other connections' work on the same thread, parsing, the
 *       handler, and waiting for the socket to accept the response (back-pressure). It excludes the time
 *       before the server read the bytes (in the kernel's receive buffer, or behind work that keeps the thread
 *       from reading) and the network.</li>
 * </ul>
 *
 * <p>Threading: both are called on the connection's pool thread, concurrently for different connections; they
 * must be thread-safe and fast, and must not allocate if the server is to stay allocation-free.
 * {@code requestCompleted} runs right after the response was encoded (before it is sent); the request is only
 * valid during the call (see {@link HttpRequest}); its {@link HttpRequest#method()} is null when the request
 * could not be parsed. {@code responseSent} follows for the same response once it is sent, in request order
 * per connection; it is not called for a response the connection closed before sending, nor for one written
 * by the timeout timer (408).
 */
@FunctionalInterface
public interface RequestListener {
    /**
     * A response was encoded.
     *
     * @param request      the request (method, path, headers), valid only during this call
     * @param status       the response status
     * @param handlerNanos handler time: from the complete request head to the encoded response (0 for a request
     *                     that failed before a handler ran: a framing error, a limit, a rejected connection)
     */
    void requestCompleted(HttpRequest request, int status, long handlerNanos);

    /**
     * The response's last byte was handed to the kernel.
     *
     * @param status      the response status
     * @param serverNanos server time: from the read completion that completed the request head to the send
     *                    completion that carried the response's last byte
     */
    default void responseSent(int status, long serverNanos) {}
}
