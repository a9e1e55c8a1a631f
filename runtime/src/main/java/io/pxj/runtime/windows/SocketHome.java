package io.pxj.runtime.windows;

/**
 * Where a socket goes after a successful DisconnectEx(TF_REUSE_SOCKET): a listener's accept pool (the next
 * AcceptEx) or the backend's client pool (the next ConnectEx).
 *
 * <p>Threading: called on pool threads; implementations are thread-safe and destroy the socket if they cannot
 * take it.
 */
interface SocketHome {
    void recycle(IoSocket socket);
}
