/**
 * The reference servers the harness compares PxJ with, each serving the same plaintext, JSON, static-file and echo
 * endpoints: Netty (epoll, NIO and io_uring transports), the JDK's {@code com.sun.net.httpserver} and a plain NIO.2
 * {@link java.nio.channels.AsynchronousServerSocketChannel} server.
 */
package io.pxj.bench.ref;
