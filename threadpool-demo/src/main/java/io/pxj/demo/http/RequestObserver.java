package io.pxj.demo.http;

/**
 * Hears every completed HTTP request; fed by io.pxj.http's RequestListener (see
 * {@link io.pxj.demo.integration.HttpIntegration}). Called on pool threads, concurrently: implementations must be
 * thread-safe and must not block or log per request.
 */
@FunctionalInterface
public interface RequestObserver {
    void onRequest(String method, String path, int status, long nanos);
}
