/**
 * The Win32 facade the runtime's Windows backend uses: I/O completion ports ({@link io.pxj.win32.CompletionPort}),
 * the Vista+ thread pool ({@link io.pxj.win32.ThreadPool} with its I/O, work, timer and wait objects), Winsock
 * ({@link io.pxj.win32.Winsock}: overlapped sockets and the AcceptEx, ConnectEx, DisconnectEx and TransmitFile
 * extension functions), views of native memory (OVERLAPPED, WSABUF arrays, socket addresses) and
 * {@link io.pxj.win32.WindowsException}. {@link io.pxj.win32.Windows} is the availability probe and the entry point:
 * on Windows the facade calls the direct-mapped JNA bindings of {@code io.pxj.win32.raw}; with
 * {@code -Dpxj.win32.bridge=wine} it runs the same calls in a helper process under Wine. No JNA type appears in
 * this package's public signatures.
 */
package io.pxj.win32;
