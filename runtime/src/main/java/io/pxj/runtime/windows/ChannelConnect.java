package io.pxj.runtime.windows;

import io.pxj.win32.ErrorCodes;
import io.pxj.win32.IoOutcome;
import io.pxj.win32.SockAddr;
import io.pxj.win32.WindowsException;
import io.pxj.win32.Winsock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;

/**
 * The client side of a {@link WindowsChannel}: binds the socket if needed, issues ConnectEx on the socket's
 * control operation, and on its completion either opens the channel or reports {@code connectFailed}. Static
 * methods on the channel, so connecting adds no object per connection.
 *
 * <p>Threading: called on the channel's draining thread only, like the rest of its state changes.
 */
final class ChannelConnect {
    private ChannelConnect() {}

    static void issue(WindowsChannel ch) {
        if (ch.state != WindowsChannel.CONNECTING) {
            return;
        }
        if (ch.closeRequested) {
            failed(ch, new IOException("connection closed before it was made"), true);
            return;
        }
        IoSocket sock = ch.sock;
        Winsock ws = ch.backend.winsock;
        try {
            if (!sock.bound) {
                InetAddress any = sock.family == StandardProtocolFamily.INET6
                        ? InetAddress.getByAddress(new byte[16]) : InetAddress.getByAddress(new byte[4]);
                ws.bind(sock.handle, new InetSocketAddress(any, 0));
                sock.bound = true;
            }
        } catch (IOException e) {
            failed(ch, e, true);
            return;
        }
        IoOp op = sock.control;
        op.control = IoOp.Control.CONNECT;
        byte[] sa = SockAddr.toBytes(ch.remoteAddress());
        try {
            IoSocket.start(sock.io, op, ch);
        } catch (RuntimeException e) {
            op.control = IoOp.Control.NONE;
            failed(ch, new IOException("ConnectEx not started: " + e.getMessage(), e), true);
            return;
        }
        op.memory.write(IoOp.SOCKADDR_OFFSET, sa, 0, sa.length);
        long r;
        try {
            r = ws.connectEx(sock.handle, op.memory.address(IoOp.SOCKADDR_OFFSET), sa.length, 0, 0, op.address());
        } catch (RuntimeException e) {
            WindowsBackend.LOG.error("channel {}: ConnectEx refused", ch.id(), e);
            r = IoOutcome.failed(ErrorCodes.ERROR_INVALID_PARAMETER);
        }
        ch.settled(op, sock.settle(op, r));
    }

    static void completed(WindowsChannel ch, IoOp op) {
        op.control = IoOp.Control.NONE;
        int err = op.error;
        if (err != 0) {
            failed(ch, new WindowsException("ConnectEx", err), true);
            return;
        }
        if (ch.closeRequested) {
            failed(ch, new IOException("connection closed before it was made"), true);
            return;
        }
        IoSocket sock = ch.sock;
        try {
            ch.backend.winsock.updateConnectContext(sock.handle);
            ch.connectedFrom(ch.backend.winsock.localAddress(sock.handle));
        } catch (WindowsException e) {
            failed(ch, e, true);
            return;
        }
        sock.uses++;
        if (sock.uses > 1) {
            ch.backend.clientSocketsReused.increment();
        }
        ch.state = WindowsChannel.OPEN;
        ch.applyDefaults();
        ch.handler.opened(ch);
    }

    static void failed(WindowsChannel ch, IOException cause, boolean destroySocket) {
        ch.state = WindowsChannel.CLOSED;
        if (destroySocket) {
            ch.sock.destroy();
        }
        ch.backend.channelClosed(ch);
        ch.handler.connectFailed(cause);
    }
}
