package io.pxj.runtime.internal;

import io.pxj.runtime.Client;
import io.pxj.runtime.Transport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link Client}: the connect future plus a close that also works before the connection exists (the
 * connection is then aborted as soon as the backend reports it open).
 *
 * <p>Threading: thread-safe.
 */
final class ClientImpl implements Client {
    final CompletableFuture<Transport> connected = new CompletableFuture<>();
    volatile Connection connection;
    volatile boolean closeRequested;

    @Override
    public CompletionStage<Transport> connected() {
        return connected;
    }

    @Override
    public void close() {
        closeRequested = true;
        Connection c = connection;
        if (c != null && c.isOpened()) { c.close(); }
    }
}
