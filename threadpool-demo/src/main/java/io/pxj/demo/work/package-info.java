/**
 * The {@code work} command: counts primes on one thread and then in parallel with {@code submitWork}, compares the
 * two, and shows a caught context escape.
 */
package io.pxj.demo.work;
