package io.pxj.services;

import io.pxj.runtime.Server;
import io.pxj.testfakes.LivePx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The echo-family services on a real runtime over loopback. */
@Timeout(60)
class ServicesE2ETest {
    static LivePx<List<Server>> live;

    @BeforeAll
    static void start() throws Exception {
        live = LivePx.start(px -> List.of(
                px.server(new InetSocketAddress("127.0.0.1", 0), EchoProtocol::new),
                px.server(new InetSocketAddress("127.0.0.1", 0), EchoUpperProtocol::new),
                px.server(new InetSocketAddress("127.0.0.1", 0), LinesEchoProtocol::new),
                px.server(new InetSocketAddress("127.0.0.1", 0), DaytimeProtocol::new),
                px.server(new InetSocketAddress("127.0.0.1", 0), ChargenProtocol::new)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (live != null) live.close();
    }

    static Socket connect(int i) throws Exception {
        Socket s = new Socket("127.0.0.1", live.value().get(i).localAddress().getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    @Test
    void echoAndUpper() throws Exception {
        byte[] data = "hello, world".getBytes(StandardCharsets.US_ASCII);
        try (Socket s = connect(0)) {
            s.getOutputStream().write(data);
            assertArrayEquals(data, s.getInputStream().readNBytes(data.length));
        }
        try (Socket s = connect(1)) {
            s.getOutputStream().write(data);
            assertEquals("HELLO, WORLD", new String(s.getInputStream().readNBytes(data.length), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void linesEchoWaitsForCompleteLines() throws Exception {
        try (Socket s = connect(2)) {
            s.getOutputStream().write("ab".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write("c\nd\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("abc\r\nd\r\n", new String(s.getInputStream().readNBytes(8), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void daytimeSendsALineThenCloses() throws Exception {
        try (Socket s = connect(3)) {
            String line = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(line.endsWith("\r\n") && line.length() > 20, line);
        }
    }

    @Test
    void chargenStreams() throws Exception {
        try (Socket s = connect(4)) {
            InputStream in = s.getInputStream();
            byte[] b = in.readNBytes(74 * 200);
            assertEquals(' ', b[0]);
            assertEquals('!', b[74]);
        }
    }
}
