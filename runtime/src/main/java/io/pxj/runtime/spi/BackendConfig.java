package io.pxj.runtime.spi;

/**
 * Settings the runtime passes to a backend.
 *
 * @param threads            event loops (nio) or the pool's minimum threads (windows); >= 1
 * @param maxThreads         the pool's maximum threads (windows); >= threads
 * @param acceptsPerListener AcceptEx operations kept posted per listener by default (windows)
 * @param threadNamePrefix   prefix for thread names, e.g. "pxj-nio-" or "pxj-pool"
 */
public record BackendConfig(int threads, int maxThreads, int acceptsPerListener, String threadNamePrefix) {
    public BackendConfig {
        if (threads < 1) { throw new IllegalArgumentException("threads must be >= 1: " + threads); }
        if (maxThreads < threads) {
            throw new IllegalArgumentException("maxThreads (" + maxThreads + ") must be >= threads (" + threads + ")");
        }
        if (acceptsPerListener < 1) {
            throw new IllegalArgumentException("acceptsPerListener must be >= 1: " + acceptsPerListener);
        }
    }
}
