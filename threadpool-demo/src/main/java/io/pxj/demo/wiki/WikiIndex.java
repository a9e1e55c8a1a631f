package io.pxj.demo.wiki;

import io.pxj.runtime.FileRegion;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PyParallel's "wiki" demo in miniature: a large read-only index from titles (generated pseudo-words) to the
 * byte range of their record in a data file. It is built once on the main thread, published with
 * {@code px.publish(WikiIndex.PUBLISHED_NAME, index)} and then read by every parallel callback at once, without
 * copying and without locks: after construction nothing in it changes (all fields final, arrays never written).
 *
 * <h2>Layout</h2>
 * No per-key objects: all keys, sorted, are concatenated in one {@code byte[]} (ASCII), with an {@code int[]} of
 * start positions; the records' offsets and lengths are parallel {@code long[]} / {@code int[]} arrays in key
 * order. For 1,000,000 keys that is about 10 MB of key bytes plus 16 MB of arrays. Building sorts the titles
 * packed into longs (5 bits a letter), so it needs no per-key objects either. A prefix lookup is a binary
 * search for the first key &gt;= prefix, then a scan while keys start with the prefix.
 *
 * <h2>Data file</h2>
 * One JSON document per line, in id order (so, as in a real dump, offsets are not sorted by title):
 * {@code {"id":42,"title":"kobatemi","text":"..."}\n}. A record's range includes its newline. The file name
 * encodes the format and key count; an existing file of the expected size is reused instead of rewritten.
 *
 * <p>Threading: build on one thread; afterwards every method is safe from any thread.
 */
public final class WikiIndex {
    /** Name under which the http command publishes the index. */
    public static final String PUBLISHED_NAME = "pxj.demo.wiki";

    static final String FORMAT = "v1";

    private final byte[] keyBytes;
    private final int[] keyStart;
    private final long[] offsets;
    private final int[] lengths;
    private final Path dataFile;
    private final long dataBytes;
    private final boolean reusedDataFile;

    private WikiIndex(byte[] keyBytes, int[] keyStart, long[] offsets, int[] lengths, Path dataFile,
                      long dataBytes, boolean reusedDataFile) {
        this.keyBytes = keyBytes;
        this.keyStart = keyStart;
        this.offsets = offsets;
        this.lengths = lengths;
        this.dataFile = dataFile;
        this.dataBytes = dataBytes;
        this.reusedDataFile = reusedDataFile;
    }

    /** The data file's name for {@code keys} keys. */
    public static String dataFileName(int keys) {
        return "pxj-wiki-" + FORMAT + "-" + keys + ".jsonl";
    }

    /**
     * Generates {@code keys} records, writes them to {@code dir} (unless a file of the expected size is already
     * there) and builds the index.
     */
    public static WikiIndex build(Path dir, int keys) throws IOException {
        if (keys < 1) { throw new IllegalArgumentException("keys must be >= 1: " + keys); }
        Files.createDirectories(dir);
        Path file = dir.resolve(dataFileName(keys));

        // Pass 1, in id order: record ranges, and each title packed into a long that sorts like the title.
        long[] offsetById = new long[keys];
        int[] lengthById = new int[keys];
        long[] codes = new long[keys];
        byte[] record = new byte[Words.MAX_RECORD];
        byte[] title = new byte[Words.MAX_TITLE];
        long total = 0;
        int keyByteCount = 0;
        for (int id = 0; id < keys; id++) {
            int len = Words.record(record, id);
            offsetById[id] = total;
            lengthById[id] = len;
            total += len;
            int t = Words.title(id, title, 0);
            keyByteCount += t;
            codes[id] = Words.sortCode(title, 0, t);
        }

        boolean reuse = Files.isRegularFile(file) && Files.size(file) == total;
        if (!reuse) { writeData(file, keys); }

        // Sort the packed titles (a primitive sort), then unpack them in order; each title gives back its id.
        Arrays.sort(codes);
        byte[] keyBytes = new byte[keyByteCount];
        int[] keyStart = new int[keys + 1];
        long[] offsets = new long[keys];
        int[] lengths = new int[keys];
        int pos = 0;
        for (int i = 0; i < keys; i++) {
            keyStart[i] = pos;
            int len = Words.titleFromCode(codes[i], keyBytes, pos);
            int id = Words.idOf(keyBytes, pos, len);
            pos += len;
            offsets[i] = offsetById[id];
            lengths[i] = lengthById[id];
        }
        keyStart[keys] = pos;
        return new WikiIndex(keyBytes, keyStart, offsets, lengths, file, total, reuse);
    }

    private static void writeData(Path file, int keys) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        byte[] record = new byte[Words.MAX_RECORD];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            for (int id = 0; id < keys; id++) { out.write(record, 0, Words.record(record, id)); }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Number of keys. */
    public int size() {
        return offsets.length;
    }

    /** The data file the offsets point into. */
    public Path dataFile() {
        return dataFile;
    }

    /** Size of the data file in bytes. */
    public long dataBytes() {
        return dataBytes;
    }

    /** True if {@link #build} found the data file already written and reused it. */
    public boolean reusedDataFile() {
        return reusedDataFile;
    }

    /** Bytes held by the index itself (keys and arrays), for the logs and /stats. */
    public long indexBytes() {
        return keyBytes.length + 4L * keyStart.length + 8L * offsets.length + 4L * lengths.length;
    }

    /** The key at sorted position {@code i} (a new String). */
    public String key(int i) {
        return new String(keyBytes, keyStart[i], keyStart[i + 1] - keyStart[i], StandardCharsets.ISO_8859_1);
    }

    /** The record offset of key {@code i} in the data file. */
    public long offset(int i) {
        return offsets[i];
    }

    /** The record length of key {@code i} (including its newline). */
    public int length(int i) {
        return lengths[i];
    }

    /** The zero-copy file send of key {@code i}'s record. */
    public FileRegion region(int i) {
        return FileRegion.of(dataFile, offsets[i], lengths[i]);
    }

    /** The sorted position of {@code key}, or -1. */
    public int find(String key) {
        byte[] k = ascii(key);
        if (k == null) { return -1; }
        int i = lowerBound(k);
        return i < size() && compare(i, k, false) == 0 ? i : -1;
    }

    /** Up to {@code limit} entries whose key starts with {@code prefix}, in key order. */
    public List<Entry> lookup(String prefix, int limit) {
        if (limit < 0) { throw new IllegalArgumentException("limit must be >= 0: " + limit); }
        byte[] p = ascii(prefix);
        List<Entry> out = new ArrayList<>(Math.min(limit, 64));
        if (p == null) { return out; }
        for (int i = lowerBound(p); i < size() && out.size() < limit && compare(i, p, true) == 0; i++) {
            out.add(new Entry(key(i), offsets[i], lengths[i]));
        }
        return out;
    }

    /** Number of keys starting with {@code prefix}. */
    public int count(String prefix) {
        byte[] p = ascii(prefix);
        if (p == null) { return 0; }
        int from = lowerBound(p);
        int lo = from, hi = size();
        while (lo < hi) { // first position at or after 'from' whose key does not start with p
            int mid = (lo + hi) >>> 1;
            if (compare(mid, p, true) == 0) { lo = mid + 1; } else { hi = mid; }
        }
        return lo - from;
    }

    /** One lookup result (a copy: safe to keep). */
    public record Entry(String key, long offset, int length) {}

    /** First sorted position whose key is >= {@code k}. */
    private int lowerBound(byte[] k) {
        int lo = 0, hi = size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(mid, k, false) < 0) { lo = mid + 1; } else { hi = mid; }
        }
        return lo;
    }

    /**
     * Compares key {@code i} with {@code k} (unsigned bytes). With {@code prefixOnly}, a key that starts with
     * {@code k} compares equal.
     */
    private int compare(int i, byte[] k, boolean prefixOnly) {
        int start = keyStart[i];
        int len = keyStart[i + 1] - start;
        int n = Math.min(len, k.length);
        for (int j = 0; j < n; j++) {
            int d = (keyBytes[start + j] & 0xFF) - (k[j] & 0xFF);
            if (d != 0) { return d; }
        }
        if (prefixOnly && len >= k.length) { return 0; }
        return Integer.compare(len, k.length);
    }

    /** The key as bytes, or null if it has a non-ASCII character (then nothing can match). */
    private static byte[] ascii(String s) {
        byte[] b = new byte[s.length()];
        for (int i = 0; i < b.length; i++) {
            char c = s.charAt(i);
            if (c > 0x7F) { return null; }
            b[i] = (byte) c;
        }
        return b;
    }
}
