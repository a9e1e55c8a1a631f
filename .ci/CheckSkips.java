import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Lists every skipped test in the surefire and failsafe XML reports under a directory and fails on a skip the
 * allow-list does not explain. Run by .ci/check-skips (java CheckSkips.java, no dependencies); the allow-list's
 * format is described at the top of .ci/allowed-skips.txt.
 *
 * <p>Usage: java CheckSkips.java ALLOW_LIST ROOT [--newer-than FILE]
 *
 * <p>Exit status: 0 when every skip is allowed, 1 when one is not, 2 on a usage or input error (no reports,
 * an unreadable report, a malformed allow-list line).
 */
public final class CheckSkips {
    record Rule(String text, Pattern test, String reason, int line) {}

    record Skip(String test, String message) {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2 && !(args.length == 4 && args[2].equals("--newer-than"))) {
            System.err.println("usage: java CheckSkips.java ALLOW_LIST ROOT [--newer-than FILE]");
            System.exit(2);
        }
        List<Rule> rules = readRules(Path.of(args[0]));
        Path root = Path.of(args[1]);
        FileTime since = args.length == 4 ? Files.getLastModifiedTime(Path.of(args[3])) : null;

        List<Path> reports = new ArrayList<>();
        int stale = 0;
        try (Stream<Path> files = Files.walk(root, 5)) {
            for (Path p : files.sorted().toList()) {
                String dir = p.getParent() == null ? "" : p.getParent().getFileName().toString();
                String name = p.getFileName().toString();
                if (!(dir.equals("surefire-reports") || dir.equals("failsafe-reports"))
                        || !p.getParent().getParent().getFileName().toString().equals("target")
                        || !name.startsWith("TEST-") || !name.endsWith(".xml")) continue;
                if (since != null && Files.getLastModifiedTime(p).compareTo(since) < 0) {
                    stale++; // left by an earlier build; not this run's result
                    continue;
                }
                reports.add(p);
            }
        }
        if (reports.isEmpty()) {
            System.err.println("check-skips: no surefire/failsafe XML reports under " + root.toAbsolutePath()
                    + (since != null ? " newer than " + args[3] : "") + "; did the tests run?");
            System.exit(2);
        }

        List<Skip> skips = new ArrayList<>();
        int tests = 0;
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        for (Path report : reports) {
            NodeList cases;
            try {
                cases = dbf.newDocumentBuilder().parse(report.toFile()).getElementsByTagName("testcase");
            } catch (Exception e) {
                System.err.println("check-skips: cannot read " + report + ": " + e);
                System.exit(2);
                return;
            }
            for (int i = 0; i < cases.getLength(); i++) {
                Element c = (Element) cases.item(i);
                tests++;
                NodeList skipped = c.getElementsByTagName("skipped");
                if (skipped.getLength() == 0) continue;
                Element s = (Element) skipped.item(0);
                String message = s.hasAttribute("message") ? s.getAttribute("message") : s.getTextContent().strip();
                String name = c.getAttribute("name");
                // a whole class disabled at class level is reported as one testcase with an empty name
                skips.add(new Skip(c.getAttribute("classname") + (name.isEmpty() ? "" : "#" + name), message));
            }
        }

        Map<Rule, Integer> used = new LinkedHashMap<>();
        for (Rule r : rules) used.put(r, 0);
        List<Skip> unexpected = new ArrayList<>();
        System.out.println("check-skips: " + tests + " tests in " + reports.size() + " reports"
                + (stale > 0 ? " (" + stale + " older reports ignored)" : "") + "; " + skips.size() + " skipped:");
        for (Skip s : skips) {
            Rule match = null;
            for (Rule r : rules) {
                if (r.test.matcher(s.test).matches() && s.message.contains(r.reason)) {
                    match = r;
                    break;
                }
            }
            if (match != null) used.merge(match, 1, Integer::sum);
            else unexpected.add(s);
            System.out.println("  " + (match != null ? "allowed   " : "NOT ALLOWED ") + s.test + "  -- " + s.message);
        }
        for (Map.Entry<Rule, Integer> e : used.entrySet()) {
            if (e.getValue() == 0) {
                System.out.println("check-skips: note: allow-list line " + e.getKey().line + " matched no skip ("
                        + e.getKey().text + "); remove it if that test now runs here");
            }
        }
        if (!unexpected.isEmpty()) {
            System.out.println("check-skips: FAILED: " + unexpected.size() + " skipped test(s) not in "
                    + args[0] + ". Make the test run, or add a line 'PATTERN  REASON' there saying why it"
                    + " cannot run on this platform.");
            System.exit(1);
        }
        System.out.println("check-skips: OK, every skip is on the allow-list");
    }

    /** Lines of "PATTERN REASON"; blank lines and lines starting with # are ignored. */
    static List<Rule> readRules(Path file) throws IOException {
        List<Rule> rules = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] parts = line.split("\\s+", 2);
            if (parts.length < 2 || parts[1].isBlank()) {
                System.err.println("check-skips: " + file + ":" + (n + 1) + ": want 'PATTERN  REASON', got: " + line);
                System.exit(2);
            }
            rules.add(new Rule(line, toRegex(parts[0]), parts[1].strip(), n + 1));
        }
        return rules;
    }

    /**
     * {@code pkg.Class} matches every test of the class and of its nested classes; {@code pkg.Class#method}
     * matches that method (with any parameter list); {@code *} matches any run of characters.
     */
    static Pattern toRegex(String pattern) {
        StringBuilder re = new StringBuilder();
        String[] parts = pattern.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) re.append(".*");
            if (!parts[i].isEmpty()) re.append(Pattern.quote(parts[i]));
        }
        if (pattern.contains("#")) re.append("(\\(.*\\))?(\\[.*\\])?");
        else re.append("(\\$.*)?(#.*)?");
        return Pattern.compile(re.toString());
    }
}
