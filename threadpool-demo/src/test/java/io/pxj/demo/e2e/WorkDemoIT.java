package io.pxj.demo.e2e;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkDemoIT {
    @Test
    void countsInParallelAndCatchesTheEscape() throws Exception {
        DemoJar.Result r = DemoJar.run(120, "work", "--items", "300000", "--threads", "2");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("25,997 primes"), "both runs count the 25,997 primes below 300,000: " + r);
        assertTrue(r.out().matches("(?s).*\\n  speed-up: \\d+\\.\\d\\dx on \\d+ cores \\(results agree\\)\\R.*"), r.toString());
        assertTrue(r.out().contains("caught as expected: ContextEscapeException"), r.toString());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r);
    }
}
