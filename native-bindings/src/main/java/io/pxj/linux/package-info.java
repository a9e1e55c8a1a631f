/**
 * The checked facade over the Linux calls of the runtime's native epoll transport: {@link io.pxj.linux.Epoll} (an
 * epoll instance with its wake-up eventfd), {@link io.pxj.linux.LinuxSockets} (non-blocking TCP calls on raw
 * descriptors, with their scratch memory) and {@link io.pxj.linux.Linux#isAvailable()}. Failures are
 * {@link io.pxj.linux.LinuxException}s naming the call and the errno; no JNA type appears here.
 */
package io.pxj.linux;
