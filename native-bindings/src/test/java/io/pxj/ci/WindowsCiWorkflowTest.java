package io.pxj.ci;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * windows-ci.yml lives at the repository top (documented there) and, byte-identical, at
 * .github/workflows/windows-ci.yml (where GitHub runs it): this test fails when the two drift apart, and checks the
 * facts the project relies on (matrix, JDKs, reports on failure).
 */
class WindowsCiWorkflowTest {
    private static final String TOP = "windows-ci.yml";
    private static final String GITHUB = ".github/workflows/windows-ci.yml";

    /** Walks up from the module directory to the directory holding windows-ci.yml. */
    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(TOP)) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new AssertionError(TOP + " not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void bothCopiesAreByteIdentical() throws IOException {
        Path root = repoRoot();
        Path github = root.resolve(GITHUB);
        assertTrue(Files.isRegularFile(github), GITHUB + " is missing");
        byte[] a = Files.readAllBytes(root.resolve(TOP));
        byte[] b = Files.readAllBytes(github);
        if (!Arrays.equals(a, b)) {
            List<String> la = Files.readAllLines(root.resolve(TOP), StandardCharsets.UTF_8);
            List<String> lb = Files.readAllLines(github, StandardCharsets.UTF_8);
            int i = 0;
            while (i < la.size() && i < lb.size() && la.get(i).equals(lb.get(i))) {
                i++;
            }
            fail(TOP + " and " + GITHUB + " differ (first at line " + (i + 1) + ": \""
                    + (i < la.size() ? la.get(i) : "<EOF>") + "\" vs \"" + (i < lb.size() ? lb.get(i) : "<EOF>")
                    + "\"); copy " + TOP + " over " + GITHUB);
        }
    }

    @Test
    void workflowCarriesTheAgreedMatrixAndSteps() throws IOException {
        String y = Files.readString(repoRoot().resolve(TOP), StandardCharsets.UTF_8);
        for (String must : new String[] {
            "os: [windows-2022, windows-2025]", "java: ['17', '21', '25']", "fail-fast: false",
            "uses: actions/setup-java@", "distribution: temurin", "cache: maven", "run: mvn -B -ntp verify",
            "if: failure()", "uses: actions/upload-artifact@", "path: '**/target/surefire-reports/**'"}) {
            assertTrue(y.contains(must), TOP + " lacks: " + must);
        }
    }

    /** The bench job: a measurement on windows-2022 / Temurin 21, separate from the test matrix, results always uploaded. */
    @Test
    void benchJobMeasuresAndUploadsWithoutGatingTheMatrix() throws IOException {
        String y = Files.readString(repoRoot().resolve(TOP), StandardCharsets.UTF_8);
        int at = y.indexOf("\n  bench:\n");
        assertTrue(at > 0, TOP + " lacks the bench job");
        String bench = y.substring(at);
        for (String must : new String[] {
            "runs-on: windows-2022", "java-version: '21'", "run: mvn -B -ntp -Pbench -DskipTests package",
            "java -jar threadpool-demo/bench/target/pxj-bench.jar harness --http-client load --baseline nio2 --quick",
            "--strict", "if: always()", "name: windows-bench", "path: bench-results/**"}) {
            assertTrue(bench.contains(must), "bench job lacks: " + must);
        }
        assertTrue(!bench.contains("needs:") && !bench.contains("continue-on-error"),
                "the bench job stays independent of the test matrix and fails on harness errors");
        assertTrue(y.indexOf("run: mvn -B -ntp verify") < at, "the test job keeps its own build");
    }
}
