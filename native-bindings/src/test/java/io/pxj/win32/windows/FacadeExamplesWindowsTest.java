package io.pxj.win32.windows;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxj.win32.Windows;
import io.pxj.win32.examples.FacadeExamples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the examples of native-bindings/README.md ({@link FacadeExamples}) against {@code Windows.api()}. */
@EnabledIf(value = "io.pxj.win32.Windows#isAvailable", disabledReason = "needs Windows, or the Wine bridge"
        + " (-Dpxj.win32.bridge=wine, as the wine-test execution of the build sets it)")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FacadeExamplesWindowsTest {

    @Test
    void postAndDequeueOnePacket() throws Exception {
        assertEquals(42, FacadeExamples.postAndDequeue(Windows.api()));
    }

    @Test
    void postAndDequeueABatch() throws Exception {
        assertEquals(5050, FacadeExamples.postAndDequeueBatch(Windows.api()));
    }

    @Test
    void aThousandSubmittedCallbacksAllRun() throws Exception {
        assertEquals(1_000, FacadeExamples.thousandCallbacks(Windows.api()));
    }

    @Test
    void anOverlappedReadOnAPoolIoGetsTheGreeting() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> greeter = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    OutputStream out = s.getOutputStream();
                    out.write("hello from the peer".getBytes(UTF_8));
                    out.flush();
                    s.getInputStream().read(); // until the example closes its socket
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            assertEquals("hello from the peer", FacadeExamples.readGreeting(Windows.api(), address));
            greeter.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPeriodicTimerFiresThenStops() throws Exception {
        int fired = FacadeExamples.timerTicks(Windows.api(), 5);
        assertTrue(fired >= 5, "fired " + fired);
    }
}
