package io.pxj.runtime.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;

/**
 * Ready-made {@link SSLContext}s: a server's from a key store (a PKCS#12 file, or the Windows certificate store
 * {@code Windows-MY} through the JDK's SunMSCAPI provider), a client's trusting a key store or nothing at all
 * (development only), and a self-signed certificate made at run time with the JDK's own {@code keytool}.
 *
 * <p>Threading: stateless; every method may be called from any thread.
 */
public final class TlsContexts {
    /** The key store type of the Windows certificate store (current user's "My"), through SunMSCAPI. */
    public static final String WINDOWS_MY = "Windows-MY";

    private TlsContexts() {}

    /**
     * Loads a key store: {@code type} {@code "PKCS12"} (or {@code "JKS"}) reads {@code file} with
     * {@code password}; {@link #WINDOWS_MY} reads the Windows certificate store (no file, no password).
     *
     * @throws IllegalArgumentException naming the file or type when it cannot be read
     */
    public static KeyStore loadKeyStore(Path file, String type, char[] password) {
        Objects.requireNonNull(type, "type");
        try {
            KeyStore ks = KeyStore.getInstance(type);
            if (WINDOWS_MY.equalsIgnoreCase(type) || "Windows-ROOT".equalsIgnoreCase(type)) {
                ks.load(null, null);
                return ks;
            }
            Objects.requireNonNull(file, "file");
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, password);
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the " + type + " key store"
                    + (file == null ? "" : " " + file) + ": " + e.getMessage(), e);
        }
    }

    /**
     * A server context serving the key entry {@code alias} of {@code keyStore} (or the one the JDK chooses
     * when {@code alias} is null).
     *
     * @throws IllegalArgumentException when the alias is not a key entry of the store, or the key is unreadable
     */
    public static SSLContext server(KeyStore keyStore, char[] password, String alias) {
        try {
            if (alias != null && !keyStore.isKeyEntry(alias)) {
                throw new IllegalArgumentException("the key store has no key entry named '" + alias
                        + "'; its entries: " + Collections.list(keyStore.aliases()));
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            KeyManager[] kms = kmf.getKeyManagers();
            if (alias != null) {
                for (int i = 0; i < kms.length; i++) {
                    if (kms[i] instanceof X509KeyManager km) {
                        kms[i] = new AliasKeyManager(km, alias);
                    }
                }
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kms, null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the key store's key" + (alias == null ? "" : " '"
                    + alias + "'") + ": " + e.getMessage(), e);
        }
    }

    /** A client context that trusts the certificates of {@code trustStore}. */
    public static SSLContext client(KeyStore trustStore) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot trust the key store: " + e.getMessage(), e);
        }
    }

    /**
     * A client context that trusts every certificate: for testing against self-signed servers only (use it with
     * {@code verifyHostname(false)}); it offers no protection against an attacker in the middle.
     */
    public static SSLContext insecureClient() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new TrustAll()}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS SSLContext in this JDK: " + e.getMessage(), e);
        }
    }

    /**
     * Makes a self-signed certificate (EC P-256, SHA256withECDSA) for {@code names} (DNS names and IP addresses;
     * the first is the subject's CN) valid for {@code validity}, by running the JDK's {@code keytool} into a
     * temporary PKCS#12 file that is deleted afterwards. For development: clients cannot verify it.
     *
     * @throws IllegalStateException when keytool is missing or fails (its output is in the message)
     */
    public static SelfSigned selfSigned(Duration validity, String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("selfSigned: at least one host name or address");
        }
        long days = Math.max(1, validity.toDays());
        char[] password = HexFormat.of().formatHex(randomBytes()).toCharArray();
        String keytool = Path.of(System.getProperty("java.home"), "bin",
                System.getProperty("os.name", "").startsWith("Windows") ? "keytool.exe" : "keytool").toString();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("pxj-tls");
            Path file = dir.resolve("self-signed.p12");
            List<String> san = new ArrayList<>();
            for (String n : names) {
                san.add((n.matches("[0-9.]+") || n.contains(":") ? "ip:" : "dns:") + n);
            }
            List<String> cmd = List.of(keytool, "-genkeypair", "-alias", "pxj", "-keyalg", "EC", "-groupname",
                    "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=" + names[0], "-ext",
                    "SAN=" + String.join(",", san), "-validity", Long.toString(days), "-storetype", "PKCS12",
                    "-keystore", file.toString(), "-storepass", new String(password), "-keypass",
                    new String(password), "-noprompt");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool failed to make a self-signed certificate: " + out.trim());
            }
            KeyStore ks = loadKeyStore(file, "PKCS12", password);
            return new SelfSigned(ks, password, (X509Certificate) ks.getCertificate("pxj"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + keytool + " to make a self-signed certificate: "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making a self-signed certificate", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the self-signed key store is unreadable: " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[16];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve("self-signed.p12"));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            dir.toFile().deleteOnExit();
        }
    }

    /** SHA-256 of a certificate's DER encoding, as colon-separated upper-case hex (what browsers show). */
    public static String sha256Fingerprint(Certificate cert) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot hash the certificate: " + e.getMessage(), e);
        }
    }

    /**
     * A self-signed certificate with its key.
     *
     * @param keyStore    a PKCS#12 store holding the key entry {@code "pxj"}
     * @param password    the store's and the key's password
     * @param certificate the certificate
     */
    public record SelfSigned(KeyStore keyStore, char[] password, X509Certificate certificate) {
        /** A server context serving this certificate. */
        public SSLContext serverContext() {
            return server(keyStore, password, "pxj");
        }

        /** A client context that trusts exactly this certificate. */
        public SSLContext clientContext() {
            try {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("pxj", certificate);
                return client(trust);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot build a trust store: " + e.getMessage(), e);
            }
        }

        public String sha256Fingerprint() {
            return TlsContexts.sha256Fingerprint(certificate);
        }
    }

    /** Serves one alias of the key store whatever the engine would otherwise pick. */
    private static final class AliasKeyManager extends X509ExtendedKeyManager {
        private final X509KeyManager km;
        private final String alias;

        AliasKeyManager(X509KeyManager km, String alias) {
            this.km = km;
            this.alias = alias;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return chooseServerAlias(keyType, issuers, null);
        }

        /** The alias when its key fits {@code keyType}, else none (the engine tries the next key type). */
        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            String[] fitting = km.getServerAliases(keyType, issuers);
            return fitting != null && List.of(fitting).contains(alias) ? alias : null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return km.getServerAliases(keyType, issuers);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return km.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return km.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String a) {
            return km.getCertificateChain(a);
        }

        @Override
        public PrivateKey getPrivateKey(String a) {
            return km.getPrivateKey(a);
        }
    }

    /** Trusts every certificate (development only, see {@link #insecureClient()}). */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
