package io.pxj.win32.raw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GuidTest {
    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    @Test
    void acceptExGuidIsLaidOutLittleEndianForTheFirstThreeFields() {
        // {0xb5367df1,0xcbac,0x11cf,{0x95,0xca,0x00,0x80,0x5f,0x48,0xa1,0x92}} as the bytes WSAIoctl receives.
        assertArrayEquals(hex("f17d36b5accbcf1195ca00805f48a192"), Guids.WSAID_ACCEPTEX.toBytes());
    }

    @Test
    void rioGuidBytes() {
        assertArrayEquals(hex("81e00985dd960540b1659e2ee8c79e3f"), Guids.WSAID_MULTIPLE_RIO.toBytes());
    }

    @Test
    void roundTripsAndCompares() {
        String s = "25a207b9-ddf3-4660-8ee9-76e58c74063e";
        assertEquals(s, Guid.parse(s).toString());
        assertEquals(Guid.parse(s), Guids.WSAID_CONNECTEX);
        assertEquals(Guid.parse(s).hashCode(), Guids.WSAID_CONNECTEX.hashCode());
        assertEquals("7fda2e11-8630-436f-a031-f536a6eec157", Guid.parse("7FDA2E11-8630-436F-A031-F536A6EEC157").toString());
    }

    @Test
    void toBytesIsADefensiveCopy() {
        byte[] b = Guids.WSAID_DISCONNECTEX.toBytes();
        b[0] = 0;
        assertEquals(0x11, Guids.WSAID_DISCONNECTEX.toBytes()[0] & 0xFF);
    }

    @Test
    void rejectsMalformed() {
        assertThrows(IllegalArgumentException.class, () -> Guid.parse("b5367df1-cbac-11cf-95ca"));
        assertThrows(IllegalArgumentException.class, () -> Guid.parse("b5367df1cbac11cf95ca00805f48a192"));
        assertThrows(IllegalArgumentException.class, () -> Guid.parse("b5367df1-cbac-11cf-95ca-00805f48a19"));
    }
}
