package io.pxj.runtime.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** FirstReadProbe: probes while the first reads mostly find data, keeps sampling when they do not. */
class FirstReadProbeTest {

    /** Runs {@code n} accepts whose first read would find data with the given pattern; returns how many probed. */
    private static int accepts(FirstReadProbe p, int n, java.util.function.IntPredicate found) {
        int probed = 0;
        for (int i = 0; i < n; i++) {
            if (p.shouldProbe()) {
                probed++;
                p.result(found.test(i));
            }
        }
        return probed;
    }

    @Test
    void probesEveryConnectionWhileReadsFindData() {
        FirstReadProbe p = new FirstReadProbe();
        assertEquals(1000, accepts(p, 1000, i -> true));
        // half the reads finding data is above the break-even: still every connection
        assertEquals(1000, accepts(p, 1000, i -> i % 2 == 0));
    }

    @Test
    void mostlyEmptyFirstReadsTurnProbingDownToOneInSixteen() {
        FirstReadProbe p = new FirstReadProbe();
        int probed = accepts(p, 1600, i -> false);
        assertTrue(probed >= 100 && probed <= 130, "about 1 in 16 after the first misses: " + probed);
        // one hit in five is below the break-even: probing stays rare
        probed = accepts(p, 1600, i -> i % 5 == 0);
        assertTrue(probed <= 130, "still about 1 in 16: " + probed);
    }

    @Test
    void probingResumesWhenTheSampledReadsFindDataAgain() {
        FirstReadProbe p = new FirstReadProbe();
        accepts(p, 1600, i -> false);
        accepts(p, 16 * 40, i -> true); // the sampled probes hit: the score climbs back to zero
        assertEquals(100, accepts(p, 100, i -> true), "every connection probes again");
    }
}
