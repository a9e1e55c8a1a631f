package io.pxj.demo.http;

import io.pxj.demo.Cli;
import io.pxj.demo.CommandFailedException;
import io.pxj.runtime.tls.TlsContexts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The {@code http} command's HTTPS options (a picocli mixin): a PKCS#12 key store, the Windows certificate store
 * through SunMSCAPI, or a self-signed certificate made at start; and a plain-HTTP port that redirects to HTTPS.
 *
 * <p>Threading: used once, on the command's thread.
 */
public final class TlsOptions {
    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "Serve HTTPS with the key and certificate chain in this key store (PKCS#12 by default).")
    Path keystore;

    @Option(names = "--tls-password", paramLabel = "PASSWORD", interactive = false, arity = "1",
            description = "Password of --tls-keystore (and of its key).")
    String password;

    @Option(names = "--tls-keystore-type", paramLabel = "TYPE", defaultValue = "PKCS12",
            description = "Key store type (default: ${DEFAULT-VALUE}); Windows-MY serves a certificate of the Windows"
                    + " certificate store (current user's 'My', through the JDK's SunMSCAPI; Windows only, no file,"
                    + " pick it with --tls-alias).")
    String keystoreType;

    @Option(names = "--tls-alias", paramLabel = "NAME",
            description = "The key store entry to serve (default: the JDK picks one that fits).")
    String alias;

    @Option(names = "--tls-self-signed",
            description = "Serve HTTPS with a self-signed certificate for localhost/127.0.0.1 made at start (its"
                    + " SHA-256 fingerprint is printed). For development only: clients cannot verify it.")
    boolean selfSigned;

    @Option(names = "--redirect-http", paramLabel = "PORT",
            description = "Also listen for plain HTTP on PORT and answer every request with 301 to the https URL.")
    Integer redirectPort;

    /** True when any option asks for HTTPS. */
    boolean enabled() {
        return selfSigned || keystore != null || isWindowsStore();
    }

    private boolean isWindowsStore() {
        return TlsContexts.WINDOWS_MY.equalsIgnoreCase(keystoreType);
    }

    /** Checks the combination; usage errors name the option. */
    void validate(CommandSpec spec) {
        Cli.check(spec, !(selfSigned && (keystore != null || isWindowsStore())),
                "--tls-self-signed cannot be combined with --tls-keystore or --tls-keystore-type Windows-MY");
        Cli.check(spec, !(isWindowsStore() && keystore != null),
                "--tls-keystore-type Windows-MY reads the Windows certificate store: drop --tls-keystore FILE");
        Cli.check(spec, keystore == null || Files.isRegularFile(keystore),
                "--tls-keystore " + keystore + " is not a readable file");
        Cli.check(spec, alias == null || keystore != null || isWindowsStore(),
                "--tls-alias needs --tls-keystore FILE or --tls-keystore-type Windows-MY");
        Cli.check(spec, password == null || keystore != null,
                "--tls-password needs --tls-keystore FILE");
        Cli.check(spec, redirectPort == null || enabled(),
                "--redirect-http redirects to HTTPS: it needs --tls-keystore, Windows-MY or --tls-self-signed");
        Cli.check(spec, redirectPort == null || (redirectPort >= 0 && redirectPort <= 65535),
                "--redirect-http must be a port 0..65535: " + redirectPort);
        Cli.check(spec, keystoreType.matches("[A-Za-z0-9._-]{1,32}"),
                "--tls-keystore-type must be a key store type such as PKCS12 or Windows-MY: '" + keystoreType + "'");
    }

    /** The server's context, or null without HTTPS; prints the fingerprint of a self-signed certificate. */
    SSLContext context() {
        try {
            return makeContext();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CommandFailedException("TLS: " + e.getMessage(), e);
        }
    }

    private SSLContext makeContext() {
        if (selfSigned) {
            TlsContexts.SelfSigned s = TlsContexts.selfSigned(Duration.ofDays(30), "localhost", "127.0.0.1", "::1");
            System.out.println("TLS: self-signed certificate for localhost, 127.0.0.1, ::1 (development only),"
                    + " SHA-256 fingerprint " + s.sha256Fingerprint());
            return s.serverContext();
        }
        if (isWindowsStore()) {
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
                throw new CommandFailedException("--tls-keystore-type " + keystoreType + " is the Windows certificate"
                        + " store (the JDK's SunMSCAPI provider): it exists on Windows only");
            }
            return serverContext(TlsContexts.loadKeyStore(null, TlsContexts.WINDOWS_MY, null), null);
        }
        if (keystore != null) {
            char[] pw = password == null ? new char[0] : password.toCharArray();
            return serverContext(TlsContexts.loadKeyStore(keystore, keystoreType, pw), pw);
        }
        return null;
    }

    private SSLContext serverContext(KeyStore ks, char[] pw) {
        return TlsContexts.server(ks, pw, alias);
    }
}
