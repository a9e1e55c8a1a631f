package io.pxj.win32.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * native-bindings/README.md shows the code of {@link FacadeExamples} exactly: each {@code // README:<name>:begin}
 * .. {@code :end} block of the source, less the class body's indentation, is one {@code ```java} block of the
 * README, in the same order, and the README has no other Java block. (The examples run in
 * FacadeExamplesWindowsTest.)
 */
class FacadeReadmeTest {
    private static final Path SOURCE = Path.of("src/test/java/io/pxj/win32/examples/FacadeExamples.java");
    private static final Path README = Path.of("README.md");
    private static final Pattern MARKED = Pattern.compile(
            "(?m)^ {4}// README:([a-z]+):begin\\n(.*?)^ {4}// README:\\1:end$", Pattern.DOTALL);
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?m)^```java\\n(.*?)^```$", Pattern.DOTALL);

    @Test
    void theReadmeShowsExactlyTheCompiledExamples() throws Exception {
        assertTrue(Files.exists(SOURCE) && Files.exists(README), "surefire runs in the native-bindings directory");
        List<String> snippets = new ArrayList<>();
        Matcher m = MARKED.matcher(Files.readString(SOURCE, UTF_8));
        while (m.find()) {
            snippets.add(m.group(2).replaceAll("(?m)^ {4}", ""));
        }
        assertEquals(5, snippets.size(), "marked examples in " + SOURCE);
        List<String> blocks = new ArrayList<>();
        Matcher b = JAVA_BLOCK.matcher(Files.readString(README, UTF_8));
        while (b.find()) {
            blocks.add(b.group(1));
        }
        assertEquals(snippets, blocks, "native-bindings/README.md must show the examples of " + SOURCE
                + " exactly, in order: copy each marked block (without its 4-space indentation) into the README");
    }
}
