package io.pxj.win32;

import java.net.InetSocketAddress;

/** Local and remote address of an accepted connection, decoded by {@link Winsock#getAcceptExSockaddrs}. */
public record AcceptAddresses(InetSocketAddress local, InetSocketAddress remote) {
}
