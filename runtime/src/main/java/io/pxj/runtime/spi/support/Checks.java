package io.pxj.runtime.spi.support;

import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks shared by the option records' constructors ({@code ProtocolOptions}, {@code ServerOptions},
 * {@code HttpLimits}) and {@code Px.Builder}'s setters: each returns the checked value, and each
 * failure names the argument and the rule it broke ({@code "backlog must be >= 1: 0"}). Stateless; thread-safe.
 */
public final class Checks {
    private Checks() {
    }

    /** {@code value}, or IllegalArgumentException if it is below {@code min}. */
    public static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ": " + value);
        }
        return value;
    }

    /** {@code value}, or IllegalArgumentException if it is below {@code min}. */
    public static long atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ": " + value);
        }
        return value;
    }

    /** A count or size that must be at least 1. */
    public static int positive(String name, int value) {
        return atLeast(name, value, 1);
    }

    /** A byte count or rate that must be at least 1. */
    public static long positive(String name, long value) {
        return atLeast(name, value, 1L);
    }

    /** A limit where 0 means "none" or "the default". */
    public static int notNegative(String name, int value) {
        return atLeast(name, value, 0);
    }

    /** A limit where 0 means "none". */
    public static long notNegative(String name, long value) {
        return atLeast(name, value, 0L);
    }

    /** {@code d}, or NullPointerException naming it if null, IllegalArgumentException if zero or negative. */
    public static Duration positive(String name, Duration d) {
        return positiveOrNull(name, Objects.requireNonNull(d, name));
    }

    /** {@code d}, which may be null (meaning "none"); IllegalArgumentException if zero or negative. */
    public static Duration positiveOrNull(String name, Duration d) {
        if (d != null && (d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }

    /** {@code d}, or NullPointerException naming it if null, IllegalArgumentException if negative. */
    public static Duration notNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0: " + d);
        }
        return d;
    }
}
