/**
 * Java bindings for I/O completion ports, the Windows thread pool and Winsock, and for the Linux epoll and socket
 * calls of the runtime's native nio transport. Only the facades ({@code io.pxj.win32}, {@code io.pxj.linux}) are
 * exported; the direct-mapped JNA layers ({@code io.pxj.win32.raw}, {@code io.pxj.linux.raw}) stay inside, and no
 * JNA type appears in the facade, so users need not read JNA. JNA reflects over the raw layer's direct-mapped
 * classes and callbacks, hence the qualified opens.
 */
module io.pxj.win32 {
    requires com.sun.jna;
    requires com.sun.jna.platform;
    requires org.slf4j;

    exports io.pxj.win32;
    exports io.pxj.linux;

    opens io.pxj.win32.raw to com.sun.jna;
    opens io.pxj.linux.raw to com.sun.jna;
}
