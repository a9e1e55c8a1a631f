package io.pxj.demo.load;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The coordinated-omission logic, driven by a fake clock (plain longs, in nanoseconds). */
class LoadScheduleTest {
    static final long MS = 1_000_000L;

    @Test
    void closedLoopKeepsThePipelineFullAndMeasuresFromTheSend() {
        LoadSchedule s = new LoadSchedule(0, 0, 3);
        assertEquals(3, s.sendable(0));
        assertEquals(0, s.sendable(5 * MS));
        assertEquals(3, s.inFlight());
        assertEquals(10 * MS, s.complete(10 * MS));
        assertEquals(1, s.sendable(10 * MS));
        assertEquals(12 * MS, s.complete(12 * MS));
        assertEquals(13 * MS, s.complete(13 * MS));
        assertEquals(4 * MS, s.complete(14 * MS), "the request sent at 10 ms");
        assertEquals(0, s.inFlight());
        assertEquals(4, s.sent());
        assertThrows(IllegalStateException.class, () -> s.complete(15 * MS));
    }

    @Test
    void fixedRateSendsOnlyWhatIsDue() {
        LoadSchedule s = new LoadSchedule(100 * MS, 10 * MS, 8);
        assertEquals(0, s.sendable(99 * MS));
        assertEquals(1, s.sendable(100 * MS));       // request 0 at 100 ms
        assertEquals(0, s.sendable(109 * MS));
        assertEquals(2, s.sendable(120 * MS));       // requests 1 and 2 (110, 120 ms)
        assertEquals(130 * MS, s.nextIntended());
        assertEquals(5 * MS, s.complete(105 * MS)); // request 0: 5 ms
    }

    @Test
    void aStallIsChargedToEveryRequestThatShouldHaveBeenSent() {
        // 1 request per ms, one in flight at a time; the server stalls 100 ms on the first request.
        LoadSchedule s = new LoadSchedule(0, MS, 1);
        Histogram corrected = new Histogram(3);
        Histogram uncorrected = new Histogram(3);
        long now = 0;
        assertEquals(1, s.sendable(now));
        now = 100 * MS;                              // the stall ends
        corrected.recordValue(s.complete(now));
        uncorrected.recordValue(s.lastServiceNanos());
        // Afterwards the server answers in 10 us; the backlog drains one request per response.
        int sentAfterStall = 0;
        while (s.backlog(now) > 0) {
            assertEquals(1, s.sendable(now));
            sentAfterStall++;
            now += 10_000;
            corrected.recordValue(s.complete(now));
            uncorrected.recordValue(s.lastServiceNanos());
        }
        assertTrue(sentAfterStall >= 100, "the backlog of ~100 requests was sent: " + sentAfterStall);
        // Uncorrected, only one request looks slow; corrected, the ~100 requests that waited behind the stall do.
        assertTrue(uncorrected.getValueAtPercentile(50) < 20_000, "median service time stays ~10 us");
        assertTrue(corrected.getValueAtPercentile(50) > 40 * MS, "median corrected latency reflects the stall: "
                + corrected.getValueAtPercentile(50));
        assertEquals(100 * MS, corrected.getMaxValue(), 100 * MS / 1000.0);
        assertEquals(100 * MS, uncorrected.getMaxValue(), 100 * MS / 1000.0);
    }

    @Test
    void pipelineBoundsTheRequestsInFlightAtAFixedRate() {
        LoadSchedule s = new LoadSchedule(0, MS, 2);
        assertEquals(2, s.sendable(10 * MS));        // 11 due, 2 may fly
        assertEquals(9, s.backlog(10 * MS));
        assertEquals(10 * MS, s.complete(10 * MS));  // intended at 0
        assertEquals(1, s.sendable(10 * MS));
        assertEquals(9 * MS, s.complete(10 * MS));   // intended at 1 ms
        assertEquals(8 * MS, s.complete(10 * MS));   // intended at 2 ms, sent at 10 ms
        assertEquals(0, s.lastServiceNanos());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new LoadSchedule(0, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new LoadSchedule(0, 0, 0));
    }
}
