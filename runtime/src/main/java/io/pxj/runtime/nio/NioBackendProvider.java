package io.pxj.runtime.nio;

import io.pxj.runtime.spi.Backend;
import io.pxj.runtime.spi.BackendConfig;
import io.pxj.runtime.spi.BackendProvider;

/** Service provider for the portable nio backend (priority 10; always available). Threading: stateless. */
public final class NioBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "nio";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String unavailabilityCause() {
        return null;
    }

    @Override
    public Backend create(BackendConfig config) {
        return new NioBackend(config);
    }
}
