/**
 * Direct-mapped JNA bindings of the libc calls behind the Linux epoll transport ({@code Native.register}, primitive
 * arguments only) and the ABI constants they need. Raw and unchecked: {@code io.pxj.linux} is the checked facade.
 * The classes register libc only on 64-bit Linux.
 */
package io.pxj.linux.raw;
