package io.pxj.runtime.spi;

/**
 * The core's side of a listener: gives each accepted socket its handler.
 *
 * <p>Threading: called on any pool/loop thread, possibly concurrently.
 */
@FunctionalInterface
public interface Acceptor {
    /**
     * @return the handler for a new connection, or null to refuse it (the backend closes the socket at once).
     *         A backend that got a handler calls its {@code opened} once the socket is usable; if the socket
     *         dies before that, it may drop the handler without any call (the core counts nothing before
     *         {@code opened}).
     */
    ConnectionHandler accept();
}
