package io.pxj.win32.raw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every size, offset, constant and GUID the bindings declare, checked against the golden output of
 * {@code bash native-bindings/src/test/abi/run} (src/test/resources/win-abi.txt: mingw-w64 headers, run under
 * Wine) or, for what mingw-w64 does not declare, against the Windows SDK values below. Both directions fail: a
 * golden fact with no (or a different) Java declaration, and a Java declaration that no fact checks.
 */
class AbiTest {

    /** Golden names that differ from the Java class names. */
    private static final Map<String, String> STRUCT_ALIASES = Map.of("TP_CALLBACK_ENVIRON", "TP_CALLBACK_ENVIRON_V3");

    /** Facts mingw-w64's headers lack, with their Windows SDK values. Keys use the golden syntax. */
    private static final Map<String, String> SUPPLEMENTARY = new LinkedHashMap<>();

    static {
        // Registered I/O (sdk: mswsockdef.h / mswsock.h; mingw-w64 lacks it).
        sup("size RIO_EXTENSION_FUNCTION_TABLE 112");
        sup("offset RIO_EXTENSION_FUNCTION_TABLE.cbSize 0");
        String[] rio = {"RIOReceive", "RIOReceiveEx", "RIOSend", "RIOSendEx", "RIOCloseCompletionQueue",
            "RIOCreateCompletionQueue", "RIOCreateRequestQueue", "RIODequeueCompletion", "RIODeregisterBuffer",
            "RIONotify", "RIORegisterBuffer", "RIOResizeCompletionQueue", "RIOResizeRequestQueue"};
        for (int i = 0; i < rio.length; i++) {
            sup("offset RIO_EXTENSION_FUNCTION_TABLE." + rio[i] + " " + (8 + 8 * i));
        }
        sup("size RIO_BUF 16");
        sup("offset RIO_BUF.BufferId 0");
        sup("offset RIO_BUF.Offset 8");
        sup("offset RIO_BUF.Length 12");
        sup("size RIORESULT 24");
        sup("offset RIORESULT.Status 0");
        sup("offset RIORESULT.BytesTransferred 4");
        sup("offset RIORESULT.SocketContext 8");
        sup("offset RIORESULT.RequestContext 16");
        sup("size RIO_NOTIFICATION_COMPLETION 32");
        sup("offset RIO_NOTIFICATION_COMPLETION.Type 0");
        sup("offset RIO_NOTIFICATION_COMPLETION.Iocp_IocpHandle 8");
        sup("offset RIO_NOTIFICATION_COMPLETION.Iocp_CompletionKey 16");
        sup("offset RIO_NOTIFICATION_COMPLETION.Iocp_Overlapped 24");
        // sdk: the Event arm of the same union { HANDLE EventHandle; BOOL NotifyReset; }.
        sup("offset RIO_NOTIFICATION_COMPLETION.Event_EventHandle 8");
        sup("offset RIO_NOTIFICATION_COMPLETION.Event_NotifyReset 16");
        sup("const RIO_EVENT_COMPLETION 1");
        sup("const RIO_IOCP_COMPLETION 2");
        sup("const RIO_CORRUPT_CQ 4294967295");
        sup("guid WSAID_MULTIPLE_RIO 8509e081-96dd-4005-b165-9e2ee8c79e3f");
        // sdk (ws2def.h: _WSAIORW(IOC_WS2, 36); mingw-w64 does not define it).
        sup("const SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER 3355443236");
    }

    private static void sup(String fact) {
        int sp = fact.lastIndexOf(' ');
        SUPPLEMENTARY.put(fact.substring(0, sp), fact.substring(sp + 1));
    }

    record Fact(String kind, String name, String value) {
        String key() {
            return kind + " " + name;
        }
    }

    static List<Fact> golden() throws IOException {
        List<Fact> facts = new ArrayList<>();
        try (InputStream in = AbiTest.class.getResourceAsStream("/win-abi.txt")) {
            assertNotNull(in, "golden file src/test/resources/win-abi.txt missing");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue; // comments: the first line names the command that made the file
                }
                String kind = line.substring(0, line.indexOf(' '));
                int last = line.lastIndexOf(' ');
                facts.add(new Fact(kind, line.substring(kind.length() + 1, last), line.substring(last + 1)));
            }
        }
        return facts;
    }

    @Test
    void everyDeclaredFactMatchesTheGoldenFileOrTheDocumentedValue() throws Exception {
        List<Fact> facts = golden();
        assertTrue(facts.size() >= 100, "golden file looks truncated: " + facts.size() + " facts");
        for (Map.Entry<String, String> e : SUPPLEMENTARY.entrySet()) {
            String key = e.getKey();
            facts.add(new Fact(key.substring(0, key.indexOf(' ')), key.substring(key.indexOf(' ') + 1), e.getValue()));
        }

        Set<String> checked = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (Fact f : facts) {
            try {
                checked.add(check(f));
            } catch (ReflectiveOperationException | AssertionError ex) {
                problems.add(f.kind + " " + f.name + " " + f.value + ": " + ex);
            }
        }

        Set<String> declared = declaredFacts();
        declared.removeAll(checked);
        if (!declared.isEmpty()) {
            problems.add("declared in the bindings but checked by no golden or documented fact: " + declared);
        }
        System.out.println("ABI facts compared: " + checked.size() + " (" + (facts.size() - SUPPLEMENTARY.size())
                + " golden, " + SUPPLEMENTARY.size() + " SDK values)");
        if (!problems.isEmpty()) {
            fail(problems.size() + " ABI mismatch(es):\n  " + String.join("\n  ", problems));
        }
        assertTrue(checked.size() >= 100, "fewer than 100 facts compared: " + checked.size());
        // The README gives this split (golden file / SDK literals here, RIO or not); change it with these numbers.
        long rio = SUPPLEMENTARY.keySet().stream().filter(k -> k.contains("RIO")).count();
        assertEquals(List.of(201, 165, 36, 35L), List.of(checked.size(), facts.size() - SUPPLEMENTARY.size(),
                SUPPLEMENTARY.size(), rio), "facts compared, golden, literals in AbiTest, RIO literals");
    }

    /** Checks one fact; returns the Java field it checked ("Class.FIELD"). */
    private static String check(Fact f) throws ReflectiveOperationException {
        switch (f.kind) {
            case "size" -> {
                Field field = structClass(f.name).getField("SIZEOF");
                assertEquals(Long.parseLong(f.value), field.getLong(null), "sizeof " + f.name);
                return id(field);
            }
            case "offset" -> {
                int dot = f.name.lastIndexOf('.');
                Field field = structClass(f.name.substring(0, dot)).getField(f.name.substring(dot + 1));
                assertEquals(Long.parseLong(f.value), field.getLong(null), "offsetof " + f.name);
                return id(field);
            }
            case "const" -> {
                Field field;
                int dot = f.name.indexOf('.');
                if (dot > 0) { // a constant nested in a struct class
                    field = structClass(f.name.substring(0, dot)).getField(f.name.substring(dot + 1));
                } else {
                    field = Constants.class.getField(f.name);
                }
                long v = field.getLong(null);
                String golden = f.value;
                boolean ok = golden.equals(Long.toString(v))
                        || field.getType() == int.class && golden.equals(Integer.toUnsignedString((int) v))
                        || field.getType() == long.class && golden.equals(Long.toUnsignedString(v));
                assertTrue(ok, f.name + ": golden " + golden + ", Java " + v);
                return id(field);
            }
            case "guid" -> {
                Field field = Guids.class.getField(f.name);
                assertEquals(f.value, field.get(null).toString(), f.name);
                return id(field);
            }
            default -> throw new AssertionError("unknown fact kind " + f.kind);
        }
    }

    private static Class<?> structClass(String goldenName) throws ClassNotFoundException {
        String n = goldenName.startsWith("struct ") ? goldenName.substring(7) : goldenName;
        n = STRUCT_ALIASES.getOrDefault(n, n);
        return Class.forName(Structs.class.getName() + "$" + n);
    }

    private static String id(Field f) {
        return f.getDeclaringClass().getSimpleName() + "." + f.getName();
    }

    /** Every public static final numeric or GUID field of Structs' nested classes, Constants and Guids. */
    private static Set<String> declaredFacts() {
        Set<String> out = new LinkedHashSet<>();
        List<Class<?>> classes = new ArrayList<>(List.of(Structs.class.getClasses()));
        classes.add(Constants.class);
        classes.add(Guids.class);
        for (Class<?> c : classes) {
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (Modifier.isPublic(m) && Modifier.isStatic(m) && Modifier.isFinal(m)) {
                    out.add(id(f));
                }
            }
        }
        return out;
    }
}
