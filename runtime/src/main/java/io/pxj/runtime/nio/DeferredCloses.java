package io.pxj.runtime.nio;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sockets whose selection keys were cancelled, closed by their loop right after its next select.
 *
 * <p>Why: closing a socket that is still registered with a selector makes the JDK read SO_LINGER and shut the
 * output down at once, then close the descriptor at the next select anyway. Once the select has deregistered the
 * key, the same close is a single {@code close(2)}: the peer sees the same FIN (or RST after SO_LINGER 0) one
 * loop turn later, with two syscalls fewer per connection.
 *
 * <p>Threading: confined to the owning loop thread. The array is reused, so steady-state churn allocates nothing
 * here.
 */
final class DeferredCloses {
    private static final Logger LOG = LoggerFactory.getLogger(DeferredCloses.class);

    private SocketChannel[] pending = new SocketChannel[16];
    private int size;

    void add(SocketChannel sc) {
        if (size == pending.length) { pending = Arrays.copyOf(pending, size * 2); }
        pending[size++] = sc;
    }

    /** How many are pending: read before a select, the count {@link #closeFirst} may close after it. */
    int size() {
        return size;
    }

    /**
     * Closes the {@code n} oldest: those added before the select that just returned, which that select
     * deregistered. Ones added since (by the select's own key callbacks) wait for the next select.
     */
    void closeFirst(int n) {
        for (int i = 0; i < n; i++) {
            SocketChannel sc = pending[i];
            pending[i] = null;
            close(sc);
        }
        System.arraycopy(pending, n, pending, 0, size - n);
        Arrays.fill(pending, size - n, size, null);
        size -= n;
    }

    /** Closes every pending socket; after the selector itself closed (which deregistered them all). */
    void closeAll() {
        closeFirst(size);
    }

    private static void close(SocketChannel sc) {
        try {
            sc.close();
        } catch (IOException e) {
            LOG.debug("close failed: {}", e.toString());
        }
    }
}
