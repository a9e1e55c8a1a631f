package io.pxj.win32;

import io.pxj.win32.raw.Constants;

/**
 * What the {@link Winsock} implementations share: the options that are one int each, mapped once to their level,
 * option and name (an implementation provides only {@link #setInt}, setsockopt with a 4-byte value), and the
 * address family of a TCP socket. Thread-safe if setInt is.
 */
abstract class IntSocketOptions implements Winsock {
    /** AF_INET or AF_INET6 for WSASocketW. */
    static int addressFamily(java.net.StandardProtocolFamily family) {
        return switch (family) {
            case INET -> Constants.AF_INET;
            case INET6 -> Constants.AF_INET6;
            default -> throw new IllegalArgumentException("not a TCP/IP family: " + family);
        };
    }

    /** setsockopt(socket, level, option, &value, 4); a failure names {@code setsockopt(name)}. */
    abstract void setInt(long socket, int level, int option, int value, String name) throws WindowsException;

    @Override
    public void setTcpNoDelay(long socket, boolean on) throws WindowsException {
        setInt(socket, Constants.IPPROTO_TCP, Constants.TCP_NODELAY, on ? 1 : 0, "TCP_NODELAY");
    }

    @Override
    public void setExclusiveAddressUse(long socket, boolean on) throws WindowsException {
        setInt(socket, Constants.SOL_SOCKET, Constants.SO_EXCLUSIVEADDRUSE, on ? 1 : 0, "SO_EXCLUSIVEADDRUSE");
    }

    @Override
    public void setReuseAddress(long socket, boolean on) throws WindowsException {
        setInt(socket, Constants.SOL_SOCKET, Constants.SO_REUSEADDR, on ? 1 : 0, "SO_REUSEADDR");
    }

    @Override
    public void setSendBufferSize(long socket, int bytes) throws WindowsException {
        setInt(socket, Constants.SOL_SOCKET, Constants.SO_SNDBUF, bytes, "SO_SNDBUF");
    }

    @Override
    public void setReceiveBufferSize(long socket, int bytes) throws WindowsException {
        setInt(socket, Constants.SOL_SOCKET, Constants.SO_RCVBUF, bytes, "SO_RCVBUF");
    }

    @Override
    public void setIpv6Only(long socket, boolean on) throws WindowsException {
        setInt(socket, Constants.IPPROTO_IPV6, Constants.IPV6_V6ONLY, on ? 1 : 0, "IPV6_V6ONLY");
    }
}
