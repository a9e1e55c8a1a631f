package io.pxj.demo.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the built demo jar ({@code -Dpxj.demo.jar}, set by failsafe) as a separate JVM. */
final class DemoJar {
    static final Pattern HTTP_LISTENING = Pattern.compile("^PxJ http listening on (http://\\S+/) ");
    static final Pattern HTTPS_LISTENING = Pattern.compile("^PxJ http listening on (https://\\S+/) ");
    static final Pattern ECHO_LISTENING = Pattern.compile("^PxJ echo service '\\S+' listening on tcp://(\\S+):(\\d+)/ ");

    /** Why a graceful stop cannot be checked on Windows; GracefulStopIT reports its tests skipped with it. */
    static final String NO_GRACEFUL_STOP_ON_WINDOWS = "on Windows Process.destroy() is TerminateProcess: no shutdown"
            + " hook runs, so a test cannot ask the demo for a graceful (Ctrl-C) stop";
    static final boolean WINDOWS = System.getProperty("os.name").startsWith("Windows");

    private DemoJar() {}

    static Path jar() {
        String p = System.getProperty("pxj.demo.jar");
        Path jar = p != null ? Paths.get(p) : Paths.get("target", "threadpool-demo.jar");
        assertTrue(Files.isRegularFile(jar), "the demo jar is built before the end-to-end tests: " + jar.toAbsolutePath());
        return jar;
    }

    static List<String> command(String... args) {
        return command(List.of("-Xmx512m"), args);
    }

    /** The command line with {@code jvmOptions} (e.g. a heap limit) instead of the default {@code -Xmx512m}. */
    static List<String> command(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** A finished run. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs the jar to completion (killed after {@code timeoutSeconds}). */
    static Result run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(args)).start();
        p.getOutputStream().close();
        StreamCollector out = new StreamCollector(p.getInputStream());
        StreamCollector err = new StreamCollector(p.getErrorStream());
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("timed out after " + timeoutSeconds + " s: " + args[0] + "\n" + out.text() + err.text());
        }
        return new Result(p.exitValue(), out.text(), err.text());
    }

    /** A running server process whose "listening" line has been seen. */
    static final class Server implements AutoCloseable {
        final Process process;
        final StreamCollector out;
        final StreamCollector err;
        final Matcher listening;

        private Server(Process process, StreamCollector out, StreamCollector err, Matcher listening) {
            this.process = process;
            this.out = out;
            this.err = err;
            this.listening = listening;
        }

        static Server start(Pattern listeningLine, long timeoutSeconds, String... args) throws IOException, InterruptedException {
            return launch(args).await(listeningLine, timeoutSeconds);
        }

        /** Starts the process without waiting; {@link Launched#await} waits for its listening line. */
        static Launched launch(String... args) throws IOException {
            return launch(List.of("-Xmx512m"), args);
        }

        /** {@link #launch(String...)} with {@code jvmOptions} instead of the default {@code -Xmx512m}. */
        static Launched launch(List<String> jvmOptions, String... args) throws IOException {
            Process p = new ProcessBuilder(command(jvmOptions, args)).start();
            p.getOutputStream().close();
            return new Launched(p, new StreamCollector(p.getInputStream()), new StreamCollector(p.getErrorStream()));
        }

        /** A server process that may not be listening yet. */
        record Launched(Process p, StreamCollector out, StreamCollector err) implements AutoCloseable {
            Server await(Pattern listeningLine, long timeoutSeconds) throws InterruptedException {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
                while (System.nanoTime() < deadline) {
                    String line = out.lines.poll(100, TimeUnit.MILLISECONDS);
                    if (line != null) {
                        Matcher m = listeningLine.matcher(line);
                        if (m.find()) return new Server(p, out, err, m);
                    } else if (!p.isAlive()) {
                        break;
                    }
                }
                p.destroyForcibly().waitFor();
                throw new AssertionError("server did not print its listening line within " + timeoutSeconds
                        + " s\n--- stdout\n" + out.text() + "--- stderr\n" + err.text());
            }

            @Override
            public void close() throws InterruptedException {
                if (p.isAlive()) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }

        URI uri(String path) {
            return URI.create(listening.group(1)).resolve(path);
        }

        /**
         * Stops the server as Ctrl-C would (SIGTERM on Linux/macOS: shutdown hooks run) and returns its exit code
         * once its output is fully read. The JVM reports a SIGTERM-initiated exit as 143 (128 + 15) even when every
         * hook completed, so graceful is judged from the log: see {@link #stopGracefully}.
         */
        int stop() throws InterruptedException {
            // Not process.destroy(): that also closes our ends of the pipes, so the shutdown log would be lost.
            process.toHandle().destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("server did not stop within 20 s of SIGTERM\n" + err.text());
            }
            out.awaitEnd(5_000);
            err.awaitEnd(5_000);
            return process.exitValue();
        }

        /**
         * {@link #stop}, then asserts a graceful stop: exit 0 or 143 (SIGTERM), the shutdown hook's and
         * {@code Lifecycle}'s log lines, no stack trace. Not possible on Windows ({@link #NO_GRACEFUL_STOP_ON_WINDOWS}).
         */
        void stopGracefully(String command) throws InterruptedException {
            if (WINDOWS) throw new IllegalStateException(NO_GRACEFUL_STOP_ON_WINDOWS);
            int code = stop();
            String log = err.text();
            assertTrue(code == 0 || code == 143, command + " exit code " + code + " after SIGTERM\n" + log);
            assertTrue(log.contains(command + ": shutdown requested"), "the shutdown hook ran:\n" + log);
            assertTrue(log.contains(command + ": stopped\n"), command + " closed within the timeout:\n" + log);
            assertFalse(log.contains("\tat "), "no stack traces in the log:\n" + log);
        }

        /**
         * The end of a test that used the server: {@link #stopGracefully} where it can be checked; on Windows only
         * {@link #stop} (GracefulStopIT shows that case as skipped, with the reason).
         */
        void stopAfterUse(String command) throws InterruptedException {
            if (WINDOWS) stop();
            else stopGracefully(command);
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Drains a process stream on a daemon thread, keeping all text and a queue of lines. */
    static final class StreamCollector {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuffer text = new StringBuffer();
        private final Thread thread;

        StreamCollector(InputStream in) {
            thread = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        text.append(line).append('\n');
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // process ended
                }
            }, "demo-jar-output");
            thread.setDaemon(true);
            thread.start();
        }

        /** Waits until the stream ended (the process closed it), at most {@code millis}. */
        void awaitEnd(long millis) throws InterruptedException {
            thread.join(millis);
        }

        String text() {
            try {
                thread.join(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return text.toString();
        }
    }
}
