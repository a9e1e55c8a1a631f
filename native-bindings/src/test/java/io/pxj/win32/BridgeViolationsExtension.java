package io.pxj.win32;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test during which the Wine bridge caught a memory-rule violation (a completion for freed memory, for an
 * operation nobody waits for, an OVERLAPPED reused while pending). Registered for every test by service loading;
 * inert when the bridge is not in use.
 */
public final class BridgeViolationsExtension implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(BridgeViolationsExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("before", Windows.bridgeViolations());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        long added = Windows.bridgeViolations() - context.getStore(NS).get("before", Long.class);
        if (added != 0) {
            throw new AssertionError(added + " memory-rule violation(s) caught by the Wine bridge (see the log)");
        }
    }
}
