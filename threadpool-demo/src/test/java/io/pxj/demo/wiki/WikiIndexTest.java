package io.pxj.demo.wiki;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WikiIndexTest {
    static final int KEYS = 100_000;
    static final Pattern RECORD = Pattern.compile("\\{\"id\":(\\d+),\"title\":\"([a-z]+)\",\"text\":\"[a-z .]+\"}\n");

    @TempDir
    static Path dir;
    static WikiIndex index;
    static List<String> allKeys;

    @BeforeAll
    static void build() throws IOException {
        index = WikiIndex.build(dir, KEYS);
        allKeys = new ArrayList<>(KEYS);
        for (int i = 0; i < index.size(); i++) allKeys.add(index.key(i));
    }

    @Test
    void hasAllKeysSortedAndUnique() {
        assertEquals(KEYS, index.size());
        for (int i = 1; i < KEYS; i++) {
            assertTrue(allKeys.get(i - 1).compareTo(allKeys.get(i)) < 0, "not strictly sorted at " + i);
        }
        assertEquals(KEYS, new HashSet<>(allKeys).size());
    }

    @Test
    void prefixLookupMatchesBruteForce() {
        for (String prefix : List.of("", "k", "ka", "kab", "zu", "bab", "bababa", "xyz", "zzzzzzzz")) {
            List<String> expected = allKeys.stream().filter(k -> k.startsWith(prefix)).toList();
            assertEquals(expected.size(), index.count(prefix), "count of '" + prefix + "'");
            List<String> got = index.lookup(prefix, 50).stream().map(WikiIndex.Entry::key).toList();
            assertEquals(expected.subList(0, Math.min(50, expected.size())), got, "lookup of '" + prefix + "'");
        }
    }

    @Test
    void lookupHonoursLimitAndOddInput() {
        assertEquals(0, index.lookup("ka", 0).size());
        assertEquals(7, index.lookup("ka", 7).size());
        assertTrue(index.lookup("\u00e9t\u00e9", 10).isEmpty());
        assertTrue(index.lookup("KA", 10).isEmpty(), "keys are lower case");
        assertThrows(IllegalArgumentException.class, () -> index.lookup("ka", -1));
    }

    @Test
    void findsEveryKeyAndOnlyKeys() {
        for (int i = 0; i < KEYS; i += 997) assertEquals(i, index.find(allKeys.get(i)));
        assertEquals(-1, index.find(""));
        assertEquals(-1, index.find(allKeys.get(5) + "a"));
        assertEquals(-1, index.find(allKeys.get(5).substring(0, 3)));
    }

    @Test
    void rangesCoverTheDataFileExactlyAndHoldTheirRecord() throws IOException {
        long sum = 0;
        Set<Long> starts = new HashSet<>();
        for (int i = 0; i < KEYS; i++) {
            sum += index.length(i);
            starts.add(index.offset(i));
        }
        assertEquals(Files.size(index.dataFile()), sum, "records tile the file");
        assertEquals(index.dataBytes(), sum);
        assertEquals(KEYS, starts.size());
        try (FileChannel ch = FileChannel.open(index.dataFile())) {
            for (int i = 0; i < KEYS; i += 331) {
                String rec = read(ch, index.offset(i), index.length(i));
                Matcher m = RECORD.matcher(rec);
                assertTrue(m.matches(), "record " + i + " is one JSON line: " + rec);
                assertEquals(index.key(i), m.group(2));
                assertEquals(Words.title(Integer.parseInt(m.group(1))), m.group(2));
            }
        }
    }

    @Test
    void regionIsTheKeysRange() throws IOException {
        int i = index.find(allKeys.get(1234));
        var region = index.region(i);
        assertEquals(index.dataFile(), region.path());
        assertEquals(index.offset(i), region.offset());
        assertEquals(index.length(i), region.length());
        try (FileChannel ch = FileChannel.open(region.path())) {
            assertTrue(read(ch, region.offset(), (int) region.length()).contains("\"title\":\"" + allKeys.get(1234) + "\""));
        }
    }

    @Test
    void reusesAnExistingDataFile(@TempDir Path other) throws IOException {
        WikiIndex first = WikiIndex.build(other, 5000);
        assertFalse(first.reusedDataFile());
        FileTime written = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(first.dataFile(), written);
        WikiIndex second = WikiIndex.build(other, 5000);
        assertTrue(second.reusedDataFile());
        assertEquals(written, Files.getLastModifiedTime(second.dataFile()));
        assertEquals(first.key(42), second.key(42));
        assertEquals(first.offset(42), second.offset(42));
    }

    @Test
    void titlesAreDeterministicAndUnique() {
        assertEquals(Words.title(7), Words.title(7));
        Set<String> seen = new HashSet<>();
        for (int id = 0; id < 300_000; id++) assertTrue(seen.add(Words.title(id)), "duplicate title for id " + id);
    }

    @Test
    void packedTitlesSortLikeTitlesAndGiveBackTheirId() {
        byte[] a = new byte[Words.MAX_TITLE];
        byte[] b = new byte[Words.MAX_TITLE];
        java.util.Random r = new java.util.Random(1);
        for (int n = 0; n < 100_000; n++) {
            int x = n < 1000 ? n : r.nextInt(Integer.MAX_VALUE);
            int y = r.nextInt(Integer.MAX_VALUE);
            int la = Words.title(x, a, 0);
            int lb = Words.title(y, b, 0);
            assertEquals(x, Words.idOf(a, 0, la));
            long ca = Words.sortCode(a, 0, la);
            long cb = Words.sortCode(b, 0, lb);
            assertEquals(Integer.signum(Words.title(x).compareTo(Words.title(y))), Long.signum(Long.compare(ca, cb)));
            byte[] back = new byte[Words.MAX_TITLE];
            assertEquals(Words.title(x), new String(back, 0, Words.titleFromCode(ca, back, 0), StandardCharsets.US_ASCII));
        }
    }

    private static String read(FileChannel ch, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) if (ch.read(b, offset + b.position()) < 0) break;
        return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
    }
}
