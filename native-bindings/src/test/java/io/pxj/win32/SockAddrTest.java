package io.pxj.win32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;

class SockAddrTest {
    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void ipv4FamilyLittleEndianPortNetworkOrder() throws Exception {
        byte[] b = SockAddr.toBytes(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080));
        // family 2 (LE), port 0x1f90 (BE), 127.0.0.1, sin_zero
        assertEquals("02001f907f000001" + "0000000000000000", hex(b));
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080), SockAddr.fromBytes(b, 0, 16));
    }

    @Test
    void portsWithTheHighBitSet() throws Exception {
        for (int port : new int[] {0, 1, 255, 256, 0x8000, 0xABCD, 65535}) {
            InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), port);
            byte[] b = SockAddr.toBytes(a);
            assertEquals(port >>> 8, b[2] & 0xFF);
            assertEquals(port & 0xFF, b[3] & 0xFF);
            assertEquals(a, SockAddr.fromBytes(b, 0, b.length));
        }
    }

    @Test
    void ipv6() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("::1"), 443);
        byte[] b = SockAddr.toBytes(a);
        assertEquals(28, b.length);
        // family 23 (LE), port 443 BE, flowinfo 0, ::1, scope 0
        assertEquals("170001bb" + "00000000" + "00000000000000000000000000000001" + "00000000", hex(b));
        assertEquals(a, SockAddr.fromBytes(b, 0, 28));
    }

    @Test
    void ipv6ScopeIdIsLittleEndianAndDecoded() throws Exception {
        byte[] ip = InetAddress.getByName("fe80::1234").getAddress();
        Inet6Address scoped = Inet6Address.getByAddress(null, ip, 0x01020305);
        byte[] b = SockAddr.toBytes(new InetSocketAddress(scoped, 9));
        assertEquals("05030201", hex(java.util.Arrays.copyOfRange(b, 24, 28)));
        InetSocketAddress back = SockAddr.fromBytes(b, 0, b.length);
        Inet6Address addr = assertInstanceOf(Inet6Address.class, back.getAddress());
        assertEquals(0x01020305, addr.getScopeId());
        assertArrayEquals(ip, addr.getAddress());
        assertEquals(9, back.getPort());
    }

    @Test
    void v4MappedV6DecodesAsIpv4LikeNio() throws Exception {
        byte[] b = new byte[28];
        b[0] = 23;
        b[2] = 0x1f;
        b[3] = (byte) 0x90;
        b[8 + 10] = (byte) 0xff;
        b[8 + 11] = (byte) 0xff;
        b[8 + 12] = (byte) 192;
        b[8 + 13] = (byte) 168;
        b[8 + 14] = 1;
        b[8 + 15] = 2;
        InetSocketAddress a = SockAddr.fromBytes(b, 0, 28);
        assertInstanceOf(Inet4Address.class, a.getAddress());
        assertEquals("192.168.1.2", a.getAddress().getHostAddress());
        assertEquals(8080, a.getPort());
    }

    @Test
    void decodesAtAnOffsetAndFromNativeMemory() throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 65000);
        byte[] enc = SockAddr.toBytes(a);
        byte[] padded = new byte[enc.length + 5];
        System.arraycopy(enc, 0, padded, 5, enc.length);
        assertEquals(a, SockAddr.fromBytes(padded, 5, enc.length));

        try (NativeMemory m = NativeMemory.allocate(64)) {
            m.write(8, enc, 0, enc.length);
            assertEquals(a, SockAddr.decodeAt(m.address(8), 128)); // length is clamped to sockaddr_in6
        }
        try (SockAddr s = SockAddr.allocate()) {
            assertEquals(16, s.set(new InetSocketAddress(InetAddress.getByName("1.2.3.4"), 5)));
            assertEquals(16, s.length());
            assertEquals(new InetSocketAddress(InetAddress.getByName("1.2.3.4"), 5), s.get());
            assertEquals(28, s.set(a)); // shorter-then-longer reuse leaves no stale bytes
            assertEquals(a, s.get());
        }
    }

    @Test
    void rejectsWhatCannotBeEncodedOrDecoded() {
        assertThrows(IllegalArgumentException.class,
                () -> SockAddr.toBytes(InetSocketAddress.createUnresolved("example.com", 80)));
        assertThrows(IllegalArgumentException.class, () -> SockAddr.fromBytes(new byte[16], 0, 16)); // family 0
        byte[] shortV6 = new byte[16];
        shortV6[0] = 23;
        assertThrows(IllegalArgumentException.class, () -> SockAddr.fromBytes(shortV6, 0, 16));
        assertThrows(IllegalArgumentException.class, () -> SockAddr.fromBytes(new byte[1], 0, 1));
    }
}
