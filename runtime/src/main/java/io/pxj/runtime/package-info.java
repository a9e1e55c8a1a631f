/**
 * PxJ's public API: PyParallel's parallel contexts for Java. A {@link io.pxj.runtime.Px} owns a main thread and a
 * backend; every callback (protocol events, submitted work, timers, waits) runs in parallel on a pool thread inside
 * a {@link io.pxj.runtime.ParallelContext} whose arena memory is rolled back when the callback ends. Servers and
 * clients are written as {@link io.pxj.runtime.Protocol}s whose return values are what to send over the
 * {@link io.pxj.runtime.Transport}; state shared between callbacks lives in {@link io.pxj.runtime.Protected},
 * {@link io.pxj.runtime.ProtectedMap} and {@link io.pxj.runtime.ProtectedList}, and arena memory that would
 * outlive its context is refused with {@link io.pxj.runtime.PersistenceException} or
 * {@link io.pxj.runtime.ContextEscapeException}.
 */
package io.pxj.runtime;
