package io.pxj.http;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonWriterTest {
    record Point(int x, int y) {}

    private record Named(String name, List<Point> points, Map<String, Object> extra, Point nothing) {}

    enum Color { RED }

    @Test
    void scalars() {
        assertEquals("null", JsonWriter.toJson(null));
        assertEquals("true", JsonWriter.toJson(true));
        assertEquals("false", JsonWriter.toJson(false));
        assertEquals("0", JsonWriter.toJson(0));
        assertEquals("-42", JsonWriter.toJson(-42L));
        assertEquals("9223372036854775807", JsonWriter.toJson(Long.MAX_VALUE));
        assertEquals("-9223372036854775808", JsonWriter.toJson(Long.MIN_VALUE));
        assertEquals("1.5", JsonWriter.toJson(1.5));
        assertEquals("null", JsonWriter.toJson(Double.NaN));
        assertEquals("null", JsonWriter.toJson(Float.POSITIVE_INFINITY));
        assertEquals("123456789012345678901234567890", JsonWriter.toJson(new BigInteger("123456789012345678901234567890")));
        assertEquals("0.10", JsonWriter.toJson(new BigDecimal("0.10")));
        assertEquals("\"RED\"", JsonWriter.toJson(Color.RED));
        assertEquals("\"c\"", JsonWriter.toJson('c'));
        assertEquals("7", JsonWriter.toJson(Optional.of(7)));
        assertEquals("null", JsonWriter.toJson(Optional.empty()));
        assertEquals("null", JsonWriter.toJson(OptionalInt.empty()));
    }

    @Test
    void escapesStrings() {
        assertEquals("\"a\\\"b\\\\c\\/d\"".replace("\\/", "/"), JsonWriter.toJson("a\"b\\c/d"));
        assertEquals("\"\\n\\r\\t\\b\\f\\u0000\\u001f\\u007f\"".replace("\\u007f", "\u007f"),
                JsonWriter.toJson("\n\r\t\b\f\u0000\u001f\u007f"));
        assertEquals("\"\\u2028\\u2029\"", JsonWriter.toJson("\u2028\u2029"));
        assertEquals("\"</script>\"", JsonWriter.toJson("</script>"));
    }

    @Test
    void encodesUtf8IncludingSurrogatePairsAndEscapesLoneSurrogates() {
        String s = "é€😀";
        assertArrayEquals(("\"" + s + "\"").getBytes(StandardCharsets.UTF_8), JsonWriter.toJsonBytes(s));
        assertEquals("\"\\ud800x\\udc00\"", JsonWriter.toJson("\ud800x\udc00"));
    }

    @Test
    void containersAndRecords() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", List.of(1, 2));
        m.put("b", null);
        m.put("c", new int[] {3});
        m.put("d", new Object[] {"x", true});
        m.put("e", new double[] {0.5});
        m.put("f", Map.of());
        assertEquals("{\"a\":[1,2],\"b\":null,\"c\":[3],\"d\":[\"x\",true],\"e\":[0.5],\"f\":{}}", JsonWriter.toJson(m));
        Named n = new Named("n\"1", List.of(new Point(1, 2)), Map.of("k", 1L), null);
        assertEquals("{\"name\":\"n\\\"1\",\"points\":[{\"x\":1,\"y\":2}],\"extra\":{\"k\":1},\"nothing\":null}",
                JsonWriter.toJson(n));
        assertEquals("{\"message\":\"Hello, World!\"}", JsonWriter.toJson(new TechEmpower.Message("Hello, World!")));
        assertEquals("[]", JsonWriter.toJson(new ArrayList<>()));
        assertEquals("{\"1\":2}", JsonWriter.toJson(Map.of(1, 2)));
    }

    @Test
    void refusesUnknownTypesAndCycles() {
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.toJson(new Object()));
        List<Object> self = new ArrayList<>();
        self.add(self);
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.toJson(self));
    }

    @Test
    void writerIsReusable() {
        JsonWriter w = new JsonWriter();
        w.write(List.of(1));
        w.reset().write("x".repeat(1000));
        assertEquals(1002, w.length());
        assertEquals("\"xxx", new String(Arrays.copyOf(w.array(), 4), StandardCharsets.UTF_8));
    }
}
