package io.pxj.runtime.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.Protocol;
import io.pxj.runtime.Px;
import io.pxj.runtime.Server;
import io.pxj.runtime.Transport;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class NioEchoTest {
    static final class Echo implements Protocol {
        @Override
        public Object dataReceived(ParallelContext ctx, Transport t, ByteBuffer data) {
            return data;
        }
    }

    @Test
    void echoesBytes() throws Exception {
        try (Px px = Px.builder().backend("nio").threads(2).build()) {
            Server s = px.server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Echo::new);
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), s.localAddress().getPort())) {
                c.setSoTimeout(5000);
                OutputStream out = c.getOutputStream();
                InputStream in = c.getInputStream();
                byte[] msg = new byte[200_000];
                for (int i = 0; i < msg.length; i++) msg[i] = (byte) i;
                Thread w = new Thread(() -> {
                    try {
                        out.write(msg);
                        out.flush();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                w.start();
                byte[] got = in.readNBytes(msg.length);
                w.join();
                assertArrayEquals(msg, got);
            }
            assertTrue(px.close(Duration.ofSeconds(5)));
            assertEquals(0, px.stats().threads());
        }
    }
}
