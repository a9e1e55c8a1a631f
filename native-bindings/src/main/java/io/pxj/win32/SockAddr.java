package io.pxj.win32;

import io.pxj.win32.raw.Constants;
import io.pxj.win32.raw.Structs.sockaddr_in;
import io.pxj.win32.raw.Structs.sockaddr_in6;
import io.pxj.win32.raw.Structs.sockaddr_storage;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Encoding of {@link InetSocketAddress} as Winsock sockaddr_in / sockaddr_in6 (family little-endian, port in
 * network order, IPv6 scope id), plus a 128-byte sockaddr_storage block for calls that need the address to
 * stay in native memory (ConnectEx, getsockname).
 *
 * <p>Static methods are thread-safe; an instance is not.
 */
public final class SockAddr implements AutoCloseable {
    /** sizeof(sockaddr_storage): room for any address family. */
    public static final int STORAGE_SIZE = sockaddr_storage.SIZEOF;

    private final NativeMemory memory = NativeMemory.allocate(sockaddr_storage.SIZEOF);
    private int length;

    /** A zeroed sockaddr_storage. */
    public static SockAddr allocate() {
        return new SockAddr();
    }

    private SockAddr() {
    }

    public long address() {
        return memory.address();
    }

    /** Length of the address last {@link #set} (16 or 28), 0 if none. */
    public int length() {
        return length;
    }

    /** Encodes {@code address}; returns its length. */
    public int set(InetSocketAddress address) {
        memory.zero(0, sockaddr_storage.SIZEOF);
        byte[] b = toBytes(address);
        memory.write(0, b, 0, b.length);
        length = b.length;
        return length;
    }

    public InetSocketAddress get() {
        byte[] b = new byte[sockaddr_in6.SIZEOF];
        memory.read(0, b, 0, b.length);
        return fromBytes(b, 0, b.length);
    }

    @Override
    public void close() {
        memory.close();
    }

    /** sockaddr_in (16 bytes) or sockaddr_in6 (28 bytes) bytes for {@code address}. */
    public static byte[] toBytes(InetSocketAddress address) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + address);
        }
        InetAddress ip = address.getAddress();
        int port = address.getPort();
        if (ip instanceof Inet4Address) {
            byte[] b = new byte[sockaddr_in.SIZEOF];
            putShortLE(b, sockaddr_in.sin_family, Constants.AF_INET);
            putPort(b, sockaddr_in.sin_port, port);
            System.arraycopy(ip.getAddress(), 0, b, sockaddr_in.sin_addr, 4);
            return b;
        }
        Inet6Address ip6 = (Inet6Address) ip;
        byte[] b = new byte[sockaddr_in6.SIZEOF];
        putShortLE(b, sockaddr_in6.sin6_family, Constants.AF_INET6);
        putPort(b, sockaddr_in6.sin6_port, port);
        // sin6_flowinfo stays 0
        System.arraycopy(ip6.getAddress(), 0, b, sockaddr_in6.sin6_addr, 16);
        int scope = ip6.getScopeId();
        b[sockaddr_in6.sin6_scope_id] = (byte) scope;
        b[sockaddr_in6.sin6_scope_id + 1] = (byte) (scope >>> 8);
        b[sockaddr_in6.sin6_scope_id + 2] = (byte) (scope >>> 16);
        b[sockaddr_in6.sin6_scope_id + 3] = (byte) (scope >>> 24);
        return b;
    }

    /** Decodes a sockaddr_in / sockaddr_in6 of {@code length} bytes at {@code offset}. */
    public static InetSocketAddress fromBytes(byte[] b, int offset, int length) {
        if (length < 2) {
            throw new IllegalArgumentException("sockaddr too short: " + length);
        }
        int family = (b[offset] & 0xFF) | (b[offset + 1] & 0xFF) << 8;
        try {
            if (family == Constants.AF_INET) {
                require(length, sockaddr_in.SIZEOF);
                byte[] ip = new byte[4];
                System.arraycopy(b, offset + sockaddr_in.sin_addr, ip, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(ip), port(b, offset + sockaddr_in.sin_port));
            }
            if (family == Constants.AF_INET6) {
                require(length, sockaddr_in6.SIZEOF);
                byte[] ip = new byte[16];
                System.arraycopy(b, offset + sockaddr_in6.sin6_addr, ip, 0, 16);
                int s = offset + sockaddr_in6.sin6_scope_id;
                int scope = (b[s] & 0xFF) | (b[s + 1] & 0xFF) << 8 | (b[s + 2] & 0xFF) << 16 | (b[s + 3] & 0xFF) << 24;
                // Scope 0: let InetAddress map ::ffff:a.b.c.d to Inet4Address (dual-stack accepts), as NIO does.
                InetAddress addr = scope == 0 ? InetAddress.getByAddress(ip)
                        : Inet6Address.getByAddress(null, ip, scope);
                return new InetSocketAddress(addr, port(b, offset + sockaddr_in6.sin6_port));
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e); // impossible with 4/16 bytes
        }
        throw new IllegalArgumentException("unsupported address family " + family);
    }

    /** Decodes the sockaddr at a native address (e.g. from GetAcceptExSockaddrs). */
    public static InetSocketAddress decodeAt(long address, int length) {
        int n = Math.min(length, sockaddr_in6.SIZEOF);
        byte[] b = new byte[n];
        NativeMemory.readAt(address, b, 0, n);
        return fromBytes(b, 0, n);
    }

    private static void require(int length, int needed) {
        if (length < needed) {
            throw new IllegalArgumentException("sockaddr too short: " + length + " < " + needed);
        }
    }

    private static void putShortLE(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }

    private static void putPort(byte[] b, int at, int port) {
        b[at] = (byte) (port >>> 8); // network (big-endian) order
        b[at + 1] = (byte) port;
    }

    private static int port(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }
}
