package io.pxj.bench;

import io.pxj.runtime.Px;
import io.pxj.runtime.Server;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/** The io.pxj.http side of {@link AllocBench} and {@link PxjServer}; filled in once io.pxj.http is merged. */
final class HttpServers {
    private HttpServers() {}

    static void measurePlaintext(int requests, int warmup, int connections, String prefix,
                                 com.sun.management.ThreadMXBean mx) {
        System.out.println("alloc http-plaintext: not measured (io.pxj.http not on this branch yet)");
    }

    static Server start(Px px, InetSocketAddress address, Path root) {
        throw new UnsupportedOperationException("io.pxj.http is not in this build yet: no HTTP port");
    }
}
