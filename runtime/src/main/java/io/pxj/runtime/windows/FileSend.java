package io.pxj.runtime.windows;

import io.pxj.win32.ErrorCodes;
import io.pxj.win32.IoOutcome;
import io.pxj.win32.NativeBuffers;
import io.pxj.win32.WindowsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file send of one {@link WindowsChannel} ({@link io.pxj.runtime.spi.Channel#sendFile}): TransmitFile in
 * chunks of at most {@link #MAX_TRANSMIT_CHUNK} bytes, with the head before the first chunk and the tail after
 * the last; or, where TransmitFile is throttled (client editions), positional reads into a chunk buffer sent
 * through the channel's ordinary WSASend path. It holds the open file and the position; the channel keeps the
 * outstanding-send bookkeeping and asks this what to do next when a send completes.
 *
 * <p>Threading: confined to the channel's draining thread, like the channel's own send state.
 */
final class FileSend {
    /** TransmitFile's nNumberOfBytesToWrite limit (DWORD, documented maximum 2^31 - 2). */
    static final int MAX_TRANSMIT_CHUNK = Integer.MAX_VALUE - 1;
    /** Bytes read per WSASend when files are sent without TransmitFile (client editions). */
    static final int FILE_SEND_CHUNK = 64 * 1024;

    private final WindowsChannel ch;
    private long fileHandle;
    private long filePos;
    private long fileLeft;
    private int chunk;
    private ByteBuffer fileHead;
    private ByteBuffer fileTail;
    /** Sending a file by reading chunks into {@link #fileChunk} and WSASend-ing them (no TransmitFile). */
    private boolean fileBySend;
    private FileChannel fileChannel;
    private ByteBuffer fileChunk;
    private boolean chunkHasHead;
    private boolean chunkHasTail;

    FileSend(WindowsChannel ch) {
        this.ch = ch;
    }

    /**
     * Opens {@code file} for a send of {@code length} bytes from {@code offset}. If it cannot (missing, too
     * short), queues the failure on the channel and returns false: nothing is outstanding then.
     */
    boolean open(ByteBuffer head, Path file, long offset, long length, ByteBuffer tail, boolean transmit) {
        fileBySend = !transmit;
        fileHead = head;
        fileTail = tail;
        filePos = offset;
        fileLeft = length;
        try {
            long size = Files.size(file);
            if (offset < 0 || size < offset + length) {
                throw new IOException(file + " has " + size + " bytes; cannot send " + length + " from offset "
                        + offset);
            }
            if (transmit) {
                fileHandle = ch.backend.api.openFileForTransmit(file);
            } else {
                fileChannel = FileChannel.open(file, StandardOpenOption.READ);
            }
        } catch (IOException e) {
            fileBySend = false;
            forgetHeadAndTail();
            ch.sendFailed(e);
            return false;
        }
        return true;
    }

    /** True while a file is sent by chunks through WSASend. */
    boolean bySend() {
        return fileBySend;
    }

    /** True if the file has bytes left to send. */
    boolean more() {
        return fileLeft > 0;
    }

    /**
     * The next chunk of a file sent without TransmitFile: read (positional, on this pool thread) into the
     * chunk buffer and sent with the head before the first chunk and the tail after the last, through the
     * channel's WSASend path (partial writes continue there), which comes back here for the next one.
     */
    void issueChunk() {
        if (fileChunk == null) {
            fileChunk = ByteBuffer.allocateDirect(FILE_SEND_CHUNK);
        }
        ByteBuffer c = fileChunk;
        c.clear().limit((int) Math.min(c.capacity(), fileLeft));
        try {
            while (c.hasRemaining()) {
                int n = fileChannel.read(c, filePos + c.position());
                if (n < 0) {
                    throw new IOException("file ended " + fileLeft + " bytes early (truncated while sent?)");
                }
            }
        } catch (IOException e) {
            close();
            forgetHeadAndTail();
            ch.sendFailed(e);
            return;
        }
        c.flip();
        filePos += c.remaining();
        fileLeft -= c.remaining();
        ByteBuffer head = fileHead != null && fileHead.hasRemaining() ? fileHead : null;
        ByteBuffer tail = fileLeft == 0 && fileTail != null && fileTail.hasRemaining() ? fileTail : null;
        ByteBuffer[] parts = head == null && tail == null ? new ByteBuffer[] {c}
                : head == null ? new ByteBuffer[] {c, tail}
                : tail == null ? new ByteBuffer[] {head, c} : new ByteBuffer[] {head, c, tail};
        ch.sendParts(parts);
    }

    /** Issues TransmitFile for the next chunk of the file. */
    void issueTransmit() {
        chunk = (int) Math.min(fileLeft, MAX_TRANSMIT_CHUNK);
        chunkHasHead = fileHead != null && fileHead.hasRemaining();
        chunkHasTail = chunk == fileLeft && fileTail != null && fileTail.hasRemaining();
        IoSocket sock = ch.sock;
        IoOp op = sock.send;
        if (!ch.startOrRefuse(op, "TransmitFile")) {
            ch.transmitNotStarted();
            close();
            forgetHeadAndTail();
            return;
        }
        op.overlapped.setFileOffset(filePos);
        long tfb = 0;
        if (chunkHasHead || chunkHasTail) {
            tfb = op.transmitBuffers.reset().address();
            if (chunkHasHead) {
                op.transmitBuffers.setHead(NativeBuffers.positionAddress(fileHead), fileHead.remaining());
                op.pin(fileHead);
            }
            if (chunkHasTail) {
                op.transmitBuffers.setTail(NativeBuffers.positionAddress(fileTail), fileTail.remaining());
                op.pin(fileTail);
            }
        }
        long r;
        try {
            r = ch.backend.winsock.transmitFile(sock.handle, fileHandle, chunk, 0, op.address(), tfb, 0);
        } catch (RuntimeException e) {
            WindowsBackend.LOG.error("channel {}: TransmitFile refused", ch.id(), e);
            r = IoOutcome.failed(ErrorCodes.ERROR_INVALID_PARAMETER);
        }
        ch.settled(op, sock.settle(op, r));
    }

    /** A TransmitFile chunk completed: the head and tail it carried are consumed, the position advances. */
    void transmitted() {
        if (chunkHasHead) {
            fileHead.position(fileHead.limit());
        }
        if (chunkHasTail) {
            fileTail.position(fileTail.limit());
        }
        filePos += chunk;
        fileLeft -= chunk;
    }

    void forgetHeadAndTail() {
        fileHead = fileTail = null;
    }

    /** Closes the file (idempotent); ends a by-chunks send. */
    void close() {
        fileBySend = false;
        FileChannel fc = fileChannel;
        if (fc != null) {
            fileChannel = null;
            try {
                fc.close();
            } catch (IOException e) {
                WindowsBackend.LOG.debug("channel {}: closing the file failed: {}", ch.id(), e.getMessage());
            }
        }
        long h = fileHandle;
        if (h != 0) {
            fileHandle = 0;
            try {
                ch.backend.api.closeHandle(h);
            } catch (WindowsException e) {
                WindowsBackend.LOG.debug("channel {}: CloseHandle(file) failed: {}", ch.id(), e.getMessage());
            }
        }
    }
}
