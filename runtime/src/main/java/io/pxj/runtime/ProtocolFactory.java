package io.pxj.runtime;

/**
 * Creates one {@link Protocol} per connection and hears server lifecycle events.
 *
 * <p>Threading: {@link #newProtocol()} is called on the pool thread that accepted the connection, possibly
 * concurrently; the lifecycle events are called on the main thread.
 */
@FunctionalInterface
public interface ProtocolFactory {
    Protocol newProtocol();

    /** The server is listening (PyParallel's server_started). */
    default void serverStarted(Server server) {}

    /** The server stopped listening and all its connections are closed. */
    default void serverStopped(Server server) {}
}
