/**
 * The PxJ runtime: the public API ({@code io.pxj.runtime}), the backend SPI and its support classes, HTTP/1.1 and
 * the echo-family services. The core ({@code io.pxj.runtime.internal}) and the two backends stay inside; backends
 * are found with {@link java.util.ServiceLoader}, on the module path through {@code provides} and on the class
 * path through META-INF/services. {@code jdk.unsupported}: the core reads direct buffers' addresses through
 * {@code sun.misc.Unsafe} (see DirectMemory).
 */
module io.pxj.runtime {
    requires io.pxj.win32;
    requires org.slf4j;
    requires jdk.unsupported;
    requires java.management; // the PxMXBean each runtime registers

    exports io.pxj.runtime;
    exports io.pxj.runtime.spi;
    exports io.pxj.runtime.spi.support;
    exports io.pxj.runtime.tls;
    exports io.pxj.http;
    exports io.pxj.services;

    uses io.pxj.runtime.spi.BackendProvider;

    provides io.pxj.runtime.spi.BackendProvider with
            io.pxj.runtime.windows.WindowsBackendProvider,
            io.pxj.runtime.nio.NioBackendProvider,
            io.pxj.runtime.nio.EpollBackendProvider;
}
