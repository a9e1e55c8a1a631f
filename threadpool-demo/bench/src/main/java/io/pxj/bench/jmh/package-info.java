/**
 * JMH microbenchmarks: HTTP request parsing and response encoding, arena allocate and rollback, and the
 * {@code submitWork} round trip compared with a {@link java.util.concurrent.ForkJoinPool}.
 */
package io.pxj.bench.jmh;
