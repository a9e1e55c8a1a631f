package io.pxj.demo.work;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrimesTest {
    @Test
    void counts() {
        assertEquals(0, Primes.count(0, 2));
        assertEquals(4, Primes.count(0, 10));
        assertEquals(25, Primes.count(0, 100));
        assertEquals(78_498, Primes.count(0, 1_000_000));
    }

    @Test
    void chunksCoverTheRangeAndAddUp() {
        for (int chunks : new int[] {1, 2, 7, 64}) {
            long[] b = Primes.bounds(100_000, chunks);
            assertEquals(0, b[0]);
            assertEquals(100_000, b[chunks]);
            long sum = 0;
            for (int i = 0; i < chunks; i++) {
                assertTrue(b[i] <= b[i + 1]);
                sum += Primes.count(b[i], b[i + 1]);
            }
            assertEquals(9592, sum, "chunks=" + chunks);
        }
        long[] tiny = Primes.bounds(3, 16);
        assertEquals(3, tiny[16]);
    }
}
