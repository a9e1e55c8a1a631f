package io.pxj.demo.wiki;

/**
 * Deterministic pseudo-words for the wiki demo. Title {@code id} is the base-100 spelling, in consonant-vowel
 * syllables, of {@code id * 0x9E3779B1 mod 2^32}: the multiplier is odd, so the mapping is a bijection on ints and
 * every id gets a different title (8 or 10 letters, evenly spread over all prefixes).
 */
final class Words {
    private static final String CONSONANTS = "bcdfghjklmnprstvwxyz"; // 20, sorted
    private static final String VOWELS = "aeiou";                     // 5, sorted
    private static final String[] SYLLABLES = new String[100];

    static {
        for (int c = 0; c < 20; c++)
            for (int v = 0; v < 5; v++) SYLLABLES[c * 5 + v] = "" + CONSONANTS.charAt(c) + VOWELS.charAt(v);
    }

    private Words() {}

    static String title(int id) {
        long v = (id * 0x9E3779B1L) & 0xFFFFFFFFL;
        StringBuilder b = new StringBuilder(10);
        appendBase100(b, v);
        return b.toString();
    }

    private static void appendBase100(StringBuilder b, long v) {
        if (v >= 100) appendBase100(b, v / 100);
        b.append(SYLLABLES[(int) (v % 100)]);
    }

    /** Writes record {@code id} (one JSON line, ASCII, ending in '\n') into {@code sb} (cleared first). */
    static StringBuilder record(StringBuilder sb, int id, String title) {
        sb.setLength(0);
        sb.append("{\"id\":").append(id).append(",\"title\":\"").append(title).append("\",\"text\":\"");
        long x = id * 0x2545F4914F6CDD1DL + 0x9E3779B97F4A7C15L; // xorshift state, never 0
        int words = 3 + (int) Long.remainderUnsigned(x, 6);
        for (int w = 0; w < words; w++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            if (w > 0) sb.append(' ');
            int syllables = 1 + (int) Long.remainderUnsigned(x >>> 20, 3);
            for (int s = 0; s < syllables; s++) sb.append(SYLLABLES[(int) Long.remainderUnsigned(x >>> (s * 8), 100)]);
        }
        return sb.append(".\"}\n");
    }
}
