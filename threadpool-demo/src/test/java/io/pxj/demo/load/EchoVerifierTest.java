package io.pxj.demo.load;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EchoVerifierTest {
    static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    @Test
    void messagesFollowTheStreamPattern() {
        EchoVerifier v = new EchoVerifier(100);
        byte[] m0 = bytes(v.message(0));
        byte[] m3 = bytes(v.message(3));
        assertEquals(100, m0.length);
        for (int i = 0; i < 100; i++) {
            assertEquals(EchoVerifier.patternAt(i), m0[i]);
            assertEquals(EchoVerifier.patternAt(300 + i), m3[i]);
            assertTrue(m0[i] >= '!' && m0[i] <= '~', "printable");
        }
        assertTrue(v.message(0).isReadOnly());
        byte[] batch = bytes(v.messages(2, 3));
        assertEquals(300, batch.length);
        for (int i = 0; i < 300; i++) assertEquals(EchoVerifier.patternAt(200 + i), batch[i]);
    }

    @Test
    void countsMessagesAcrossArbitraryPieces() throws Exception {
        EchoVerifier send = new EchoVerifier(7);
        byte[] stream = bytes(send.messages(0, 10));
        EchoVerifier recv = new EchoVerifier(7);
        int done = 0;
        int[] pieces = {1, 5, 6, 2, 20, 3, 33};
        int pos = 0;
        for (int p : pieces) {
            done += recv.feed(ByteBuffer.wrap(stream, pos, p));
            pos += p;
        }
        assertEquals(70, pos);
        assertEquals(10, done);
        assertEquals(70, recv.received());
    }

    @Test
    void detectsAlteredLostAndDuplicatedBytes() throws Exception {
        byte[] stream = bytes(new EchoVerifier(16).messages(0, 4));
        byte[] altered = stream.clone();
        altered[37] ^= 0x20;
        assertMismatchAt(37, altered);
        byte[] lost = new byte[stream.length - 1];
        System.arraycopy(stream, 0, lost, 0, 20);
        System.arraycopy(stream, 21, lost, 20, lost.length - 20);
        assertMismatchAt(20, lost);
        byte[] dup = new byte[stream.length + 1];
        System.arraycopy(stream, 0, dup, 0, 21);
        System.arraycopy(stream, 20, dup, 21, stream.length - 20);
        assertMismatchAt(21, dup);
    }

    private static void assertMismatchAt(long pos, byte[] data) {
        EchoVerifier v = new EchoVerifier(16);
        EchoVerifier.EchoMismatchException e =
                assertThrows(EchoVerifier.EchoMismatchException.class, () -> v.feed(ByteBuffer.wrap(data)));
        assertTrue(e.getMessage().contains("stream byte " + pos), e.getMessage());
        assertEquals(pos, v.received());
    }

    @Test
    void rejectsBadSize() {
        assertThrows(IllegalArgumentException.class, () -> new EchoVerifier(0));
    }
}
