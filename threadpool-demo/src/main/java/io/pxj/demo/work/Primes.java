package io.pxj.demo.work;

/** The CPU-bound kernel of the {@code work} command: count primes by trial division (pure, allocation-free). */
public final class Primes {
    private Primes() {}

    /** Number of primes p with {@code from <= p < to}. */
    public static long count(long from, long to) {
        long n = 0;
        for (long x = Math.max(from, 2); x < to; x++) { if (isPrime(x)) { n++; } }
        return n;
    }

    static boolean isPrime(long x) {
        if (x < 2) { return false; }
        if (x % 2 == 0) { return x == 2; }
        for (long d = 3; d * d <= x; d += 2) { if (x % d == 0) { return false; } }
        return true;
    }

    /** Splits [0, items) into {@code chunks} ranges of similar cost: later numbers cost more, so ranges shrink. */
    public static long[] bounds(long items, int chunks) {
        long[] b = new long[chunks + 1];
        // cost up to x grows like x^1.5; equal-cost boundaries are items * (i/chunks)^(2/3)
        for (int i = 1; i < chunks; i++) { b[i] = Math.round(items * Math.pow((double) i / chunks, 2.0 / 3.0)); }
        b[chunks] = items;
        for (int i = 1; i <= chunks; i++) { b[i] = Math.max(b[i], b[i - 1]); }
        return b;
    }
}
