/**
 * The benchmark harness: it starts PxJ's demo servers and the reference servers, drives them with a load client
 * in interleaved rounds, and reports medians, same-round ratios to a baseline, CPU per request and the servers'
 * ordering, compared with the previous run's. JDK only; the benchmark jar ({@code -Pbench}) adds the reference
 * servers, the allocation benchmark and JMH.
 */
package io.pxj.bench;
