package io.pxj.http;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class HttpDateTest {
    @Test
    void formatsImfFixdateWithTwoDigitDays() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.format(784_111_777L));
        assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", HttpDate.format(0));
        assertEquals(HttpDate.LENGTH, HttpDate.format(4_102_444_800L).length());
    }

    @Test
    void parsesHttpDates() {
        assertEquals(784_111_777L, HttpDate.parse("Sun, 06 Nov 1994 08:49:37 GMT"));
        assertEquals(Long.MIN_VALUE, HttpDate.parse("yesterday"));
        assertEquals(Long.MIN_VALUE, HttpDate.parse(null));
    }

    @Test
    void fallbackFollowsTheClockWithoutATimer() {
        AtomicLong now = new AtomicLong(784_111_777_000L);
        HttpDate d = new HttpDate(now::get);
        byte[] first = d.bytes();
        assertSame(first, d.bytes(), "same second: same array, no formatting");
        now.addAndGet(999);
        assertSame(first, d.bytes());
        now.addAndGet(1);
        assertEquals("Sun, 06 Nov 1994 08:49:38 GMT", d.toString());
    }

    @Test
    void timerDrivenSkipsTheClockUntilRefreshed() {
        AtomicLong now = new AtomicLong(784_111_777_000L);
        HttpDate d = new HttpDate(now::get);
        d.timerDriven(true);
        now.addAndGet(5000);
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", d.toString());
        d.refresh();
        assertEquals("Sun, 06 Nov 1994 08:49:42 GMT", d.toString());
        d.timerDriven(false);
        now.addAndGet(1000);
        assertEquals("Sun, 06 Nov 1994 08:49:43 GMT", d.toString());
    }
}
