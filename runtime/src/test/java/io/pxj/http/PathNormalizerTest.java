package io.pxj.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PathNormalizerTest {
    static String norm(String in) {
        byte[] b = in.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[b.length + 1];
        int n = PathNormalizer.normalize(ByteBuffer.wrap(b), 0, b.length, out);
        return n < 0 ? "INVALID" : new String(out, 0, n, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/, /", "/a, /a", "/a/, /a/", "//a//b//, /a/b/", "/a/./b, /a/b", "/a/., /a/", "/./, /",
            "/a/b/.., /a/", "/a/b/../c, /a/c", "/a/../b/../c, /c", "/a/%2e/b, /a/b", "/a/b/%2E%2e, /a/",
            "/%41%42, /AB", "/a%20b, /a b", "/%e2%82%ac, /\u20ac", "/..., /...", "/a..b/.a/a., /a..b/.a/a.",
            "/%25, /%", "/%252e%252e, /%2e%2e", "/a;b=c, /a;b=c", "/a/b/../../, /"
    })
    void normalises(String in, String expected) {
        assertEquals(expected, norm(in));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "a", "/..", "/../", "/a/../..", "/%2e%2e", "/%2E%2E/a", "/.%2e", "/a/%2f", "/a%2Fb", "/a%5cb", "/a%5Cb",
            "/a\\b", "/%00", "/a%0a", "/a%0D", "/%7f", "/%", "/%2", "/%g0", "/%0g", "/a/b/../../..", "/./../a",
            "/%2e%2e%2f", "/\u0001"
    })
    void refuses(String in) {
        assertEquals("INVALID", norm(in));
    }
}
