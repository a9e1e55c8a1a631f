package io.pxj.runtime.nio;

import io.pxj.linux.Linux;
import io.pxj.runtime.spi.Backend;
import io.pxj.runtime.spi.BackendConfig;
import io.pxj.runtime.spi.BackendProvider;

/**
 * Service provider for the nio backend on the native epoll transport ("epoll"): available on 64-bit Linux where
 * JNA loads libc. With this module's JNI library loaded ({@code Linux.usesJni()}) its priority is 20, above nio's
 * 10: it is then the default on Linux, as it spends less CPU per request and per connection than the JDK's channels
 * (see the README's benchmark). Without the library each call goes through JNA, whose dispatch costs more than the
 * syscalls saved, so the priority drops to 5 and the backend is opt-in ({@code -Dpxj.backend=epoll}).
 * Threading: stateless.
 */
public final class EpollBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public int priority() {
        return Linux.isAvailable() && Linux.usesJni() ? 20 : 5;
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
