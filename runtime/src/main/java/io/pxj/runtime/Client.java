package io.pxj.runtime;

import java.util.concurrent.CompletionStage;

/**
 * A client connection made by {@link Px#client}. Its protocol gets the same callbacks as a server's.
 *
 * <p>Threading: all methods are thread-safe.
 */
public interface Client extends AutoCloseable {
    /** Completes with the transport once connected, or exceptionally if the connect failed. */
    CompletionStage<Transport> connected();

    /** Closes the connection gracefully (or cancels the connect). Idempotent. */
    @Override
    void close();
}
