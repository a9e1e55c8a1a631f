package io.pxj.http;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A small JSON (RFC 8259) writer producing UTF-8 into a reusable byte array.
 *
 * <p>Maps (keys via {@code String.valueOf}), Iterables, arrays (object and primitive), records (components in
 * declaration order, read through their accessors), CharSequences, Characters, Numbers, Booleans, enums (their
 * name), {@code Optional*} (value or null) and null. Non-finite doubles become {@code null} (JSON has no NaN).
 * Strings are escaped fully: quote, backslash, all control characters, and U+2028/U+2029 (so output is also
 * safe inside a JavaScript string); lone surrogates are written as {@code \\uXXXX} escapes. Nesting deeper than
 * 64 levels (likely a cycle) and other types are refused with {@link IllegalArgumentException}.
 *
 * <p>Threading: an instance is confined to one thread (one per connection); the static helpers are
 * thread-safe.
 */
public final class JsonWriter {
    private static final int MAX_DEPTH = 64;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    /** Record accessors, made accessible once per record class. */
    private static final ClassValue<Accessor[]> RECORDS = new ClassValue<>() {
        @Override
        protected Accessor[] computeValue(Class<?> type) {
            RecordComponent[] rc = type.getRecordComponents();
            Accessor[] a = new Accessor[rc.length];
            for (int i = 0; i < rc.length; i++) {
                Method m = rc[i].getAccessor();
                m.trySetAccessible();
                a[i] = new Accessor(quoted(rc[i].getName()), m);
            }
            return a;
        }
    };

    private record Accessor(byte[] quotedName, Method method) {}

    /** The accessors' (empty) argument list: {@code invoke(r)} would allocate a fresh empty array per call. */
    private static final Object[] NO_ARGS = {};

    private final GrowableBytes out = new GrowableBytes(256);
    private int depth;

    /** Serialises {@code value} to a String. */
    public static String toJson(Object value) {
        JsonWriter w = new JsonWriter();
        w.write(value);
        return new String(w.out.buf, 0, w.out.len, StandardCharsets.UTF_8);
    }

    /** Serialises {@code value} to UTF-8 bytes. */
    public static byte[] toJsonBytes(Object value) {
        JsonWriter w = new JsonWriter();
        w.write(value);
        return java.util.Arrays.copyOf(w.out.buf, w.out.len);
    }

    /** Forgets previous output. */
    public JsonWriter reset() {
        out.clear();
        depth = 0;
        return this;
    }

    /** The internal array holding {@link #length()} bytes of output; valid until the next write or reset. */
    byte[] array() {
        return out.buf;
    }

    public int length() {
        return out.len;
    }

    /** Drops an over-grown buffer. */
    void trim(int keepAtMost) {
        out.trim(keepAtMost);
    }

    /** Appends {@code value}. */
    public JsonWriter write(Object value) {
        if (value == null) {
            raw(NULL);
        } else if (value instanceof CharSequence s) {
            string(s);
        } else if (value instanceof Boolean b) {
            raw(b ? TRUE : FALSE);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            number(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) { ascii(value.toString()); }
            else { raw(NULL); }
        } else if (value instanceof BigInteger || value instanceof BigDecimal) {
            ascii(value instanceof BigDecimal bd ? bd.toString() : value.toString());
        } else if (value instanceof Number n) {
            // AtomicLong, LongAdder, ...: their toString is a plain decimal
            double d = n.doubleValue();
            if (Double.isFinite(d)) { ascii(n.toString()); }
            else { raw(NULL); }
        } else if (value instanceof Character c) {
            string(String.valueOf(c));
        } else if (value instanceof Enum<?> e) {
            string(e.name());
        } else if (value instanceof Map<?, ?> m) {
            enter();
            out.append((byte) '{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) { out.append((byte) ','); }
                first = false;
                string(String.valueOf(e.getKey()));
                out.append((byte) ':');
                write(e.getValue());
            }
            out.append((byte) '}');
            depth--;
        } else if (value instanceof Iterable<?> it) {
            enter();
            out.append((byte) '[');
            boolean first = true;
            for (Object o : it) {
                if (!first) { out.append((byte) ','); }
                first = false;
                write(o);
            }
            out.append((byte) ']');
            depth--;
        } else if (value instanceof Record r) {
            record(r);
        } else if (value.getClass().isArray()) {
            array(value);
        } else if (value instanceof Optional<?> o) {
            write(o.orElse(null));
        } else if (value instanceof OptionalInt o) {
            if (o.isPresent()) { number(o.getAsInt()); } else { raw(NULL); }
        } else if (value instanceof OptionalLong o) {
            if (o.isPresent()) { number(o.getAsLong()); } else { raw(NULL); }
        } else if (value instanceof OptionalDouble o) {
            write(o.isPresent() ? (Object) o.getAsDouble() : null);
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
        return this;
    }

    private void record(Record r) {
        enter();
        out.append((byte) '{');
        Accessor[] acc = RECORDS.get(r.getClass());
        for (int i = 0; i < acc.length; i++) {
            if (i > 0) { out.append((byte) ','); }
            raw(acc[i].quotedName);
            out.append((byte) ':');
            Object v;
            try {
                v = acc[i].method.invoke(r, NO_ARGS);
            } catch (IllegalAccessException e) {
                throw new IllegalArgumentException("record accessor not accessible: " + acc[i].method, e);
            } catch (InvocationTargetException e) {
                throw new IllegalArgumentException("record accessor failed: " + acc[i].method, e.getCause());
            }
            write(v);
        }
        out.append((byte) '}');
        depth--;
    }

    private void array(Object a) {
        enter();
        out.append((byte) '[');
        int n = java.lang.reflect.Array.getLength(a);
        for (int i = 0; i < n; i++) {
            if (i > 0) { out.append((byte) ','); }
            if (a instanceof int[] x) { number(x[i]); }
            else if (a instanceof long[] x) { number(x[i]); }
            else if (a instanceof byte[] x) { number(x[i]); }
            else if (a instanceof short[] x) { number(x[i]); }
            else if (a instanceof char[] x) { string(String.valueOf(x[i])); }
            else { write(java.lang.reflect.Array.get(a, i)); } // Object[], double[], float[], boolean[]
        }
        out.append((byte) ']');
        depth--;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON nesting deeper than " + MAX_DEPTH + " (a cycle?)");
        }
    }

    /** Writes a long's decimal digits without allocating. */
    private void number(long v) {
        if (v == Long.MIN_VALUE) {
            ascii("-9223372036854775808");
            return;
        }
        out.ensure(20);
        if (v < 0) {
            out.buf[out.len++] = '-';
            v = -v;
        }
        int start = out.len;
        do {
            out.buf[out.len++] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        for (int i = start, j = out.len - 1; i < j; i++, j--) {
            byte t = out.buf[i];
            out.buf[i] = out.buf[j];
            out.buf[j] = t;
        }
    }

    private void string(CharSequence s) {
        int n = s.length();
        out.ensure(n + 2);
        out.append((byte) '"');
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    out.append((byte) c);
                } else {
                    switch (c) {
                        case '"' -> two('"');
                        case '\\' -> two('\\');
                        case '\n' -> two('n');
                        case '\r' -> two('r');
                        case '\t' -> two('t');
                        case '\b' -> two('b');
                        case '\f' -> two('f');
                        default -> unicodeEscape(c);
                    }
                }
            } else if (c < 0x800) {
                out.ensure(2);
                out.buf[out.len++] = (byte) (0xC0 | c >> 6);
                out.buf[out.len++] = (byte) (0x80 | c & 0x3F);
            } else if (c == '\u2028' || c == '\u2029') {
                unicodeEscape(c);
            } else if (Character.isSurrogate(c)) {
                char d = i + 1 < n ? s.charAt(i + 1) : 0;
                if (Character.isHighSurrogate(c) && Character.isLowSurrogate(d)) {
                    int cp = Character.toCodePoint(c, d);
                    out.ensure(4);
                    out.buf[out.len++] = (byte) (0xF0 | cp >> 18);
                    out.buf[out.len++] = (byte) (0x80 | cp >> 12 & 0x3F);
                    out.buf[out.len++] = (byte) (0x80 | cp >> 6 & 0x3F);
                    out.buf[out.len++] = (byte) (0x80 | cp & 0x3F);
                    i++;
                } else {
                    unicodeEscape(c); // a lone surrogate has no UTF-8 form; the escape is valid JSON
                }
            } else {
                out.ensure(3);
                out.buf[out.len++] = (byte) (0xE0 | c >> 12);
                out.buf[out.len++] = (byte) (0x80 | c >> 6 & 0x3F);
                out.buf[out.len++] = (byte) (0x80 | c & 0x3F);
            }
        }
        out.append((byte) '"');
    }

    private void two(char c) {
        out.append((byte) '\\');
        out.append((byte) c);
    }

    private void unicodeEscape(char c) {
        out.ensure(6);
        out.buf[out.len++] = '\\';
        out.buf[out.len++] = 'u';
        out.buf[out.len++] = HEX[c >> 12 & 0xF];
        out.buf[out.len++] = HEX[c >> 8 & 0xF];
        out.buf[out.len++] = HEX[c >> 4 & 0xF];
        out.buf[out.len++] = HEX[c & 0xF];
    }

    private void raw(byte[] b) {
        out.append(b, 0, b.length);
    }

    private void ascii(String s) {
        out.ensure(s.length());
        for (int i = 0; i < s.length(); i++) { out.buf[out.len++] = (byte) s.charAt(i); }
    }

    private static byte[] quoted(String name) {
        JsonWriter w = new JsonWriter();
        w.string(name);
        return java.util.Arrays.copyOf(w.out.buf, w.out.len);
    }
}
