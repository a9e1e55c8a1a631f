package io.pxj.demo.wiki;

import java.nio.charset.StandardCharsets;

/**
 * Deterministic pseudo-words for the wiki demo, generated straight into byte arrays (no per-key objects).
 *
 * <p>Title {@code id} is the base-100 spelling, in consonant-vowel syllables, of {@code v = id * M mod 2^32}
 * with an odd multiplier {@code M}: a bijection on ints, so every id gets a different title (2 to 10 lowercase
 * letters, evenly spread over all prefixes), and the id can be recovered from the title ({@link #idOf}).
 * A title also packs into a {@code long} that sorts like the title ({@link #sortCode}), so sorting a million
 * titles is a primitive {@code long[]} sort.
 */
final class Words {
    static final int MAX_TITLE = 10;   // 100^5 > 2^32: at most 5 syllables
    static final int MAX_RECORD = 256; // the longest record is well under this
    private static final long MULT = 0x9E3779B1L;
    private static final long INVERSE = inverse(MULT);
    private static final byte[] CONSONANTS = "bcdfghjklmnprstvwxyz".getBytes(StandardCharsets.US_ASCII); // 20, sorted
    private static final byte[] VOWELS = "aeiou".getBytes(StandardCharsets.US_ASCII);                    // 5, sorted
    private static final int[] CONSONANT_INDEX = new int[128];
    private static final int[] VOWEL_INDEX = new int[128];

    static {
        for (int i = 0; i < CONSONANTS.length; i++) { CONSONANT_INDEX[CONSONANTS[i]] = i; }
        for (int i = 0; i < VOWELS.length; i++) { VOWEL_INDEX[VOWELS[i]] = i; }
    }

    private Words() {}

    /** Writes title {@code id} at {@code dst[off]}; returns its length. */
    static int title(int id, byte[] dst, int off) {
        long v = (id * MULT) & 0xFFFFFFFFL;
        int syllables = 1;
        for (long x = v / 100; x > 0; x /= 100) { syllables++; }
        for (int s = syllables - 1; s >= 0; s--) {
            int digit = (int) (v % 100);
            v /= 100;
            dst[off + 2 * s] = CONSONANTS[digit / 5];
            dst[off + 2 * s + 1] = VOWELS[digit % 5];
        }
        return 2 * syllables;
    }

    static String title(int id) {
        byte[] b = new byte[MAX_TITLE];
        return new String(b, 0, title(id, b, 0), StandardCharsets.US_ASCII);
    }

    /** The id whose title is {@code t[off, off+len)}. */
    static int idOf(byte[] t, int off, int len) {
        long v = 0;
        for (int i = 0; i < len; i += 2) {
            v = v * 100 + CONSONANT_INDEX[t[off + i]] * 5 + VOWEL_INDEX[t[off + i + 1]];
        }
        return (int) ((v * INVERSE) & 0xFFFFFFFFL);
    }

    /** 5 bits per letter ('a' = 1 .. 'z' = 26), padded with 0 to 10 letters: orders like the titles. */
    static long sortCode(byte[] t, int off, int len) {
        long code = 0;
        for (int i = 0; i < MAX_TITLE; i++) { code = (code << 5) | (i < len ? t[off + i] - 'a' + 1 : 0); }
        return code;
    }

    /** Writes the title packed in {@code code} at {@code dst[off]}; returns its length. */
    static int titleFromCode(long code, byte[] dst, int off) {
        int len = 0;
        for (int i = MAX_TITLE - 1; i >= 0; i--) {
            int c = (int) (code >>> (5 * i)) & 31;
            if (c == 0) { break; }
            dst[off + len++] = (byte) ('a' + c - 1);
        }
        return len;
    }

    /**
     * Writes record {@code id} (one JSON line, ASCII, ending in '\n') at {@code buf[0]} ({@link #MAX_RECORD} bytes
     * suffice); returns its length.
     */
    static int record(byte[] buf, int id) {
        int p = put(buf, 0, "{\"id\":");
        p = putDecimal(buf, p, id);
        p = put(buf, p, ",\"title\":\"");
        p += title(id, buf, p);
        p = put(buf, p, "\",\"text\":\"");
        long x = id * 0x2545F4914F6CDD1DL + 0x9E3779B97F4A7C15L; // xorshift state, never 0
        int words = 3 + (int) Long.remainderUnsigned(x, 6);
        for (int w = 0; w < words; w++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            if (w > 0) { buf[p++] = ' '; }
            int syllables = 1 + (int) Long.remainderUnsigned(x >>> 20, 3);
            for (int s = 0; s < syllables; s++) {
                int digit = (int) Long.remainderUnsigned(x >>> (s * 8), 100);
                buf[p++] = CONSONANTS[digit / 5];
                buf[p++] = VOWELS[digit % 5];
            }
        }
        return put(buf, p, ".\"}\n");
    }

    private static int put(byte[] buf, int p, String ascii) {
        for (int i = 0; i < ascii.length(); i++) { buf[p++] = (byte) ascii.charAt(i); }
        return p;
    }

    private static int putDecimal(byte[] buf, int p, int v) {
        if (v >= 10) { p = putDecimal(buf, p, v / 10); }
        buf[p] = (byte) ('0' + v % 10);
        return p + 1;
    }

    /** The multiplicative inverse of odd {@code a} modulo 2^32 (Newton's iteration). */
    private static long inverse(long a) {
        long x = a; // correct to 3 bits
        for (int i = 0; i < 5; i++) { x = (x * (2 - a * x)) & 0xFFFFFFFFL; }
        return x;
    }
}
