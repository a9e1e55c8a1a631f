/**
 * Direct-mapped JNA bindings of kernel32, ws2_32 and ntdll ({@code Native.register}, primitive arguments only),
 * the constants, struct sizes and field offsets, GUIDs and extension-function tables (including the RIO table) the
 * facade in {@code io.pxj.win32} needs. Every size, offset, constant and GUID here is checked against the output of
 * the mingw-w64 headers by {@code AbiTest}. The classes register their libraries only on Windows.
 */
package io.pxj.win32.raw;
