package io.pxj.runtime.spi.support;

import io.pxj.runtime.spi.Channel;
import java.net.InetSocketAddress;

/**
 * What every {@link Channel} holds the same way: its id and its two addresses. The local address of a client
 * connection may be known only once the connect completes ({@link #localAddressKnown}).
 *
 * <p>Threading: the getters are thread-safe; {@link #localAddressKnown} is called by the thread that completes
 * the connect, before the channel is reported open.
 */
public abstract class ChannelBase implements Channel {
    /** The channel's id, unique within its backend; also the prefix of its log lines. */
    protected final long id;
    private volatile InetSocketAddress local;
    private final InetSocketAddress remote;

    /** {@code local} may be null for a client connection not yet made. */
    protected ChannelBase(long id, InetSocketAddress local, InetSocketAddress remote) {
        this.id = id;
        this.local = local;
        this.remote = remote;
    }

    @Override
    public final long id() {
        return id;
    }

    @Override
    public final InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public final InetSocketAddress remoteAddress() {
        return remote;
    }

    /** Records the local address a completed connect was bound to. */
    protected final void localAddressKnown(InetSocketAddress address) {
        this.local = address;
    }
}
