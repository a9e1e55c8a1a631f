package io.pxj.runtime.tls;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyStore;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The Windows certificate store through the JDK's SunMSCAPI provider ({@code --tls-keystore-type Windows-MY}):
 * the store loads, its key entries can be served by alias, and an unknown alias is a clear error.
 */
@EnabledOnOs(value = OS.WINDOWS, disabledReason = "needs Windows (SunMSCAPI)")
class WindowsCertificateStoreTest {
    @Test
    void theCurrentUsersStoreLoadsAndAnUnknownAliasIsNamed() throws Exception {
        KeyStore ks = TlsContexts.loadKeyStore(null, TlsContexts.WINDOWS_MY, null);
        assertNotNull(ks.aliases());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsContexts.server(ks, null, "pxj-no-such-alias"));
        assertTrue(e.getMessage().contains("pxj-no-such-alias"), e.getMessage());
        for (String alias : Collections.list(ks.aliases())) {
            if (ks.isKeyEntry(alias)) {
                assertNotNull(TlsContexts.server(ks, null, alias), "a context for " + alias);
            }
        }
    }
}
