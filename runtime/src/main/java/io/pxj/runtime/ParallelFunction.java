package io.pxj.runtime;

/** Parallel code that computes a value inside a {@link ParallelContext}. */
@FunctionalInterface
public interface ParallelFunction<T> {
    T apply(ParallelContext ctx) throws Exception;
}
