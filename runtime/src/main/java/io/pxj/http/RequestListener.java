package io.pxj.http;

/**
 * Hears every response the server produces, for latency histograms and access statistics (the demo records
 * into HdrHistogram; the runtime stays free of that dependency).
 *
 * <p>Threading: called on the connection's pool thread, concurrently for different connections, right after
 * the response was encoded (before it is sent). It must be thread-safe and fast. The request is only valid
 * during the call (see {@link HttpRequest}); its {@link HttpRequest#method()} is null when the request could
 * not be parsed.
 */
@FunctionalInterface
public interface RequestListener {
    /**
     * @param request the request (method, path, headers), valid only during this call
     * @param status  the response status
     * @param nanos   time from the complete request head to the encoded response
     */
    void requestCompleted(HttpRequest request, int status, long nanos);
}
