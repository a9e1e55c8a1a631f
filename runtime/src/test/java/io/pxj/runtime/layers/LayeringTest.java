package io.pxj.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The layers, checked on the sources: HTTP, the services, the backends and the SPI are written against the public
 * API and the SPI only, never against the core ({@code io.pxj.runtime.internal}). The module descriptor keeps the
 * core unexported for other modules; this keeps it out of the runtime's own upper layers, which the descriptor
 * cannot. Any mention counts (import, static import or a fully qualified name in code); comments do not.
 */
class LayeringTest {
    private static final Path MAIN = Path.of("src", "main", "java");
    private static final Pattern CORE = Pattern.compile("\\bio\\.pxj\\.runtime\\.internal\\b");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    @ParameterizedTest
    @ValueSource(strings = {"io/pxj/http", "io/pxj/services", "io/pxj/runtime/nio", "io/pxj/runtime/windows",
            "io/pxj/runtime/spi", "io/pxj/runtime/tls"})
    void doesNotUseTheCore(String pkg) throws IOException {
        Path dir = MAIN.resolve(pkg);
        assertTrue(Files.isDirectory(dir), "no sources at " + dir.toAbsolutePath());
        List<String> offenders = new ArrayList<>();
        int files = 0;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".java"))::iterator) {
                files++;
                String code = stripComments(read(f));
                Matcher m = CORE.matcher(code);
                if (m.find()) {
                    offenders.add(MAIN.relativize(f) + " (line " + lineOf(code, m.start()) + ")");
                }
            }
        }
        assertTrue(files > 0, "no Java sources under " + dir);
        assertEquals(List.of(), offenders, pkg + " must not use io.pxj.runtime.internal");
    }

    /** The check itself: a mention in code is found, one in a comment is not. */
    @ParameterizedTest
    @ValueSource(strings = {"import io.pxj.runtime.internal.PxCore;", "Object o = new io.pxj.runtime.internal.X();"})
    void findsAMentionInCode(String line) {
        String code = stripComments("/** io.pxj.runtime.internal */\n// io.pxj.runtime.internal\n" + line);
        assertTrue(CORE.matcher(code).find());
        assertTrue(!CORE.matcher(stripComments("// " + line)).find());
    }

    /** Blanks comments but keeps their line breaks, so line numbers stay right. */
    private static String stripComments(String source) {
        return COMMENT.matcher(source).replaceAll(r -> r.group().replaceAll("[^\n]", " "));
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int lineOf(String code, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (code.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
