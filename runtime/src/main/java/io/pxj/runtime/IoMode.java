package io.pxj.runtime;

/**
 * PyParallel's I/O mode hint: how eagerly a backend retries synchronous reads and writes before it waits for
 * readiness (nio) or falls back to overlapped I/O (windows). Each backend documents its mapping.
 */
public enum IoMode {
    /** Favour bytes per second: several synchronous attempts per event, larger batches. */
    THROUGHPUT,
    /** Favour many connections: one synchronous attempt, then wait; the default. */
    CONCURRENCY,
    /** Favour response time: always try synchronously first, flush immediately, no batching. */
    LOW_LATENCY
}
