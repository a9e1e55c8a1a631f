package io.pxj.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The {@code Date} header value (RFC 9110 IMF-fixdate, {@code Sun, 06 Nov 1994 08:49:37 GMT}), formatted at
 * most once a second and shared by every response.
 *
 * <p>{@link HttpServer#start} refreshes it from a runtime timer once a second, so the hot path is one volatile
 * read. When no timer drives it ({@link #timerDriven(boolean)} false: a protocol factory used on its own, or in
 * tests), {@link #bytes()} falls back to checking the clock on each call and reformats when the second changed.
 *
 * <p>Threading: thread-safe; snapshots are immutable and published through a volatile field (a benign race may
 * format the same second twice).
 */
public final class HttpDate {
    /** Length of an IMF-fixdate. */
    public static final int LENGTH = 29;

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private record Snapshot(long second, byte[] bytes) {}

    private final LongSupplier millisClock;
    private volatile Snapshot snapshot;
    private volatile boolean timerDriven;

    /** A cache on the system clock. */
    public HttpDate() {
        this(System::currentTimeMillis);
    }

    /** A cache on {@code millisClock} (epoch milliseconds), for tests. */
    public HttpDate(LongSupplier millisClock) {
        this.millisClock = millisClock;
        refresh();
    }

    /**
     * The current value as 29 ASCII bytes. The array is shared: never modify it.
     */
    public byte[] bytes() {
        Snapshot s = snapshot;
        if (timerDriven) { return s.bytes; }
        long second = Math.floorDiv(millisClock.getAsLong(), 1000);
        return second == s.second ? s.bytes : update(second).bytes;
    }

    /** The current value as a String. */
    @Override
    public String toString() {
        return new String(bytes(), StandardCharsets.US_ASCII);
    }

    /** Reformats from the clock if the second changed (the timer tick). */
    public void refresh() {
        long second = Math.floorDiv(millisClock.getAsLong(), 1000);
        Snapshot s = snapshot;
        if (s == null || s.second != second) { update(second); }
    }

    /** Whether a timer calls {@link #refresh()} every second (then {@link #bytes()} skips the clock). */
    public void timerDriven(boolean on) {
        if (on) { refresh(); }
        this.timerDriven = on;
    }

    private Snapshot update(long second) {
        Snapshot s = new Snapshot(second, format(second).getBytes(StandardCharsets.US_ASCII));
        snapshot = s;
        return s;
    }

    /** {@code epochSecond} as an IMF-fixdate (for Last-Modified). */
    public static String format(long epochSecond) {
        return IMF_FIXDATE.format(Instant.ofEpochSecond(epochSecond));
    }

    /**
     * Parses an HTTP date (IMF-fixdate; RFC 1123 variants with a one-digit day are accepted too).
     *
     * @return epoch seconds, or {@link Long#MIN_VALUE} when unparseable (such a header is ignored, RFC 9110)
     */
    public static long parse(String value) {
        if (value == null) { return Long.MIN_VALUE; }
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }
}
