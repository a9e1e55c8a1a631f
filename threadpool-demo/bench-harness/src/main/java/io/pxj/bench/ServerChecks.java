package io.pxj.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The process-level checks of the harness: pinning a command to CPUs ({@code taskset -c}), and the loopback checks a
 * server passes before it is measured (its port already taken or not, HTTP answering with the expected bodies, echo
 * echoing) and the backend name it printed at start.
 *
 * <p>Threading: stateless; every method may be called from any thread.
 */
final class ServerChecks {
    private ServerChecks() {
    }

    /**
     * {@code command} under {@code taskset -c cpus} when pinning is on, else unchanged. taskset execs the command,
     * so the process (its pid, /proc/PID/stat, {@link Process#destroy()}) is the server or client itself.
     */
    static List<String> pinned(List<String> command, String cpus) {
        if (cpus == null) { return command; }
        List<String> c = new ArrayList<>(List.of("taskset", "-c", cpus));
        c.addAll(command);
        return c;
    }

    private static final Pattern BACKEND = Pattern.compile("\\bbackend '?([^,)'\\s]+)");

    /** The backend a PxJ server prints at start ("... (bound to ..., backend iocp)"), or null. */
    static String backendName(String log) {
        Matcher m = BACKEND.matcher(log);
        return m.find() ? m.group(1) : null;
    }

    static boolean portInUse(int port) {
        try (Socket ignored = new Socket()) {
            ignored.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** GET /plaintext, /json and /static/64k.bin answer 200 with the expected bodies (correctness, not speed). */
    static void checkHttp(int port) throws IOException {
        checkHttp(port, null, false);
    }

    /** As {@link #checkHttp(int)}, for the paths of {@code paths} only (null: all three). */
    static void checkHttp(int port, java.util.Set<String> paths) throws IOException {
        checkHttp(port, paths, false);
    }

    /** As {@link #checkHttp(int)}, over TLS when {@code tls} (the certificate is not checked: loopback only). */
    static void checkHttp(int port, boolean tls) throws IOException {
        checkHttp(port, null, tls);
    }

    /** As {@link #checkHttp(int)}: the paths of {@code paths} only (null: all three), over TLS when {@code tls}. */
    static void checkHttp(int port, java.util.Set<String> paths, boolean tls) throws IOException {
        String r = httpGet(port, "/plaintext", tls);
        if (!r.startsWith("HTTP/1.1 200") || !r.endsWith("Hello, World!")) {
            throw new IOException("/plaintext answered " + firstLine(r));
        }
        String j = httpGet(port, "/json", tls);
        if (!j.startsWith("HTTP/1.1 200") || !j.replace(" ", "").endsWith("{\"message\":\"Hello,World!\"}")) {
            throw new IOException("/json answered " + firstLine(j));
        }
        if (paths != null && !paths.contains("/static/64k.bin")) { return; }
        String f = httpGet(port, "/static/64k.bin", tls);
        if (!f.startsWith("HTTP/1.1 200") || f.length() < 64 * 1024) {
            throw new IOException("/static/64k.bin answered " + firstLine(f));
        }
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\r');
        return i < 0 ? s : s.substring(0, i);
    }

    private static String httpGet(int port, String path, boolean tls) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            plain.setSoTimeout(3000);
            Socket s = tls ? anyCertificate().createSocket(plain, "127.0.0.1", port, true) : plain;
            OutputStream o = s.getOutputStream();
            o.write(("GET " + path
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            o.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** TLS client sockets that accept any certificate (the check is about answers, not trust). */
    private static SSLSocketFactory anyCertificate() throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS client: " + e, e);
        }
    }

    static void checkEcho(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(3000);
            byte[] msg = "pxj-bench echo check".getBytes(StandardCharsets.US_ASCII);
            s.getOutputStream().write(msg);
            byte[] got = s.getInputStream().readNBytes(msg.length);
            if (!Arrays.equals(msg, got)) {
                throw new IOException("echo answered " + new String(got, StandardCharsets.ISO_8859_1));
            }
        }
    }
}
