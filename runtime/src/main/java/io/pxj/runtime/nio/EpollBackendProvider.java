package io.pxj.runtime.nio;

import io.pxj.runtime.spi.Backend;
import io.pxj.runtime.spi.BackendConfig;
import io.pxj.runtime.spi.BackendProvider;

/**
 * Service provider for the nio backend on the native epoll transport ("epoll"): available on 64-bit Linux where
 * JNA loads libc. Opt-in ({@code -Dpxj.backend=epoll} or {@code Px.builder().backend("epoll")}); its priority 5 is
 * below nio's 10 because each JNA call costs more than the JDK's own native calls, which outweighs the syscalls
 * it saves on keep-alive connections (see the README's benchmark notes). Threading: stateless.
 */
public final class EpollBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public int priority() {
        return 5;
    }

    @Override
    public boolean isAvailable() {
        return EpollTransport.isAvailable();
    }

    @Override
    public String unavailabilityCause() {
        return EpollTransport.unavailabilityCause();
    }

    @Override
    public Backend create(BackendConfig config) {
        return new NioBackend(config, EpollTransport.INSTANCE);
    }
}
