/**
 * Java bindings for I/O completion ports, the Windows thread pool and Winsock. Only the facade
 * ({@code io.pxj.win32}) is exported; the direct-mapped JNA layer ({@code io.pxj.win32.raw}) stays inside, and no
 * JNA type appears in the facade, so users need not read JNA. JNA reflects over the raw layer's direct-mapped
 * classes and callbacks, hence the qualified opens.
 */
module io.pxj.win32 {
    requires com.sun.jna;
    requires com.sun.jna.platform;
    requires org.slf4j;

    exports io.pxj.win32;

    opens io.pxj.win32.raw to com.sun.jna;
}
