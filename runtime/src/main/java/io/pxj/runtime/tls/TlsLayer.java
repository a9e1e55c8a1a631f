package io.pxj.runtime.tls;

import io.pxj.runtime.Cancellable;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.spi.Channel;
import io.pxj.runtime.spi.ConnectionHandler;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLProtocolException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS between a backend and a connection: to the backend this is the connection's {@link ConnectionHandler}
 * (it receives ciphertext events), to the connection it is the {@link Channel} (it takes plaintext reads and
 * sends). An {@link SSLEngine} does every byte of the protocol; this class only moves buffers and drives it.
 *
 * <h2>Lifecycle</h2>
 * The backend's {@code opened} starts the handshake (and its timeout); the connection is opened only when the
 * handshake is done, so its protocol never sees a half-made TLS connection and can read {@link TlsInfo} (SNI,
 * ALPN, version, cipher) in {@code connectionMade}. A handshake that fails (bytes that are not TLS, an alert, a
 * truncated handshake, no common version, a bad certificate, the timeout) closes the socket and is counted in
 * {@link TlsStats}; the connection never exists (a client's protocol gets {@code connectFailed}). After the
 * handshake: renegotiation (TLS 1.2) is refused by closing, TLS 1.3 post-handshake messages (session tickets, key
 * updates) are handled by the engine, a graceful close or half-close sends {@code close_notify} first, and a
 * peer's {@code close_notify} or FIN becomes the connection's end of input.
 *
 * <h2>Reads and sends</h2>
 * One backend read at a time fills a pooled ciphertext buffer; records are decrypted straight into the
 * connection's receive buffer when it has room for a whole record, else into a pooled plaintext buffer whose
 * rest is delivered by the following reads. A read is only issued while the connection wants data (or the
 * handshake does), so the connection's back-pressure holds. A plaintext send is encrypted a few records at a time
 * into a pooled ciphertext buffer that is sent, then refilled, and the connection's {@code sendCompleted} comes
 * once all of it is on the wire. A file send reads the file in chunks into a pooled buffer and encrypts them the
 * same way (no zero-copy is possible through a cipher). Buffers that are not in use (the ciphertext send
 * buffer, the plaintext overflow, the file chunk) go back to the pool.
 *
 * <h2>Threading contract</h2>
 * Like every {@link ConnectionHandler} and {@link Channel}: all methods run on the connection's event thread,
 * serially (the backend's events, the connection's calls, and the tasks this layer gives to
 * {@link Channel#execute}), so the state is plain fields; the handshake's delegated tasks run inline there too.
 * The layer never calls the connection from inside one of the connection's own calls: work that must reach the
 * connection is handed to {@link Channel#execute} (the SPI's no-re-entrance rule).
 *
 * <p>It stays one class (about 930 lines): the handshake, the read pump, the send pump (buffers and files) and
 * the close sequence all drive the one {@link SSLEngine} and share its buffers, and each one's next step depends
 * on the others' state — a TLS 1.3 post-handshake message arrives in the middle of reads, {@code close_notify}
 * waits for the send in flight, a failed handshake must release what the pumps hold.
 */
public final class TlsLayer implements Channel, ConnectionHandler {
    /** Where the layer's direct buffers come from and go back to (the core's buffer pool). Thread-safe. */
    public interface Memory {
        /** A cleared direct buffer of {@code size} bytes. */
        ByteBuffer acquire(int size);

        /** Gives a buffer back; null is ignored. */
        void release(ByteBuffer buffer);
    }

    private static final Logger LOG = LoggerFactory.getLogger(TlsLayer.class);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int FILE_CHUNK = 32 * 1024;
    private static final byte HANDSHAKE_RECORD = 22;

    private enum OutputEnd { NONE, SHUTDOWN, CLOSE }

    /** A record that cannot fit the receive buffer sized for the largest record the engine accepts. */
    private static final class RecordTooLargeException extends SSLException {
        private static final long serialVersionUID = 1L;

        RecordTooLargeException(int size) {
            super("TLS record larger than the " + size + "-byte maximum");
        }
    }

    private final ConnectionHandler up;
    private final TlsConfig config;
    private final TlsStats stats;
    private final Memory memory;
    private final InetSocketAddress connectTo;
    private final Runnable pumpTask = this::pumpTask;
    private final ByteBuffer[] sendArr = new ByteBuffer[1]; // what the backend sends: netOut
    private final ByteBuffer[] fileSrc = new ByteBuffer[1]; // a file send's current plaintext

    private Channel down;
    private SSLEngine engine;
    private int netSize, appSize;
    private ByteBuffer netIn;   // ciphertext; read mode (position..limit unconsumed) except while a read is pending
    private ByteBuffer netOut;  // ciphertext being sent; null when no send is outstanding
    private ByteBuffer appIn;   // plaintext the connection's buffer had no room for; read mode; null when empty
    private long readyNanos;
    private Cancellable handshakeTimer;
    private TlsInfo info;
    private Throwable failure;  // why the handshake failed (a client's connectFailed)

    private boolean inHandshake;         // counted in stats.inHandshake
    private boolean handshakeDone, upOpened, dead, downClosed, closeIssued, inPump, pumpScheduled;
    private boolean downReadPending, downSendPending, inputEnded, inboundDone, notTls, sawBytes;

    private boolean upWants;             // the connection has a read outstanding
    private ByteBuffer upRead;           // its buffer; null for a lean read until plaintext is there
    private boolean upSending, upSendDone;
    private long upSendBytes;
    private ByteBuffer[] srcs;           // the plaintext of the connection's outstanding send
    private int srcOff, srcEnd;
    private FileChannel file;            // a file send: chunks of file, then fileTail
    private long filePos, fileLeft;
    private ByteBuffer fileChunk, fileTail;
    private Throwable upFailure;         // to report with the connection's failed()
    private OutputEnd outputEnd = OutputEnd.NONE;
    private boolean outboundClosed, outputEndIssued;

    private TlsLayer(ConnectionHandler up, TlsConfig config, Memory memory, InetSocketAddress connectTo) {
        this.up = up;
        this.config = config;
        this.stats = config.stats();
        this.memory = memory;
        this.connectTo = connectTo;
    }

    /**
     * Puts TLS between a backend and {@code connection}: hand the result to the backend as the handler.
     *
     * @param connectTo a client's connect address (SNI and hostname verification), null on a server
     */
    public static ConnectionHandler wrap(ConnectionHandler connection, TlsConfig config, Memory memory,
                                         InetSocketAddress connectTo) {
        return new TlsLayer(connection, config, memory, connectTo);
    }

    // =================================================================== backend events (ConnectionHandler)

    @Override
    public void opened(Channel channel) {
        down = channel;
        if (stats.inHandshake.incrementAndGet() > config.maxHandshakes()) {
            stats.inHandshake.decrementAndGet();
            stats.count(TlsStats.Counter.REFUSED);
            failure = new SSLException("too many TLS handshakes in progress (maxHandshakes " + config.maxHandshakes()
                    + ")");
            dead = true;
            closeDown(true);
            return;
        }
        inHandshake = true;
        stats.count(TlsStats.Counter.STARTED);
        try {
            engine = config.newEngine(connectTo);
            SSLSession s = engine.getSession();
            netSize = roundUp(s.getPacketBufferSize());
            appSize = roundUp(s.getApplicationBufferSize());
            netIn = memory.acquire(netSize);
            netIn.limit(0);
            handshakeTimer = channel.schedule(this::handshakeTimedOut, config.handshakeTimeout().toNanos());
            engine.beginHandshake();
        } catch (Throwable t) {
            handshakeFailed(t);
            return;
        }
        pump();
    }

    @Override
    public void connectFailed(Throwable cause) {
        up.connectFailed(cause);
    }

    @Override
    public void received(int bytes, long readyNanos) {
        downReadPending = false;
        netIn.flip();
        this.readyNanos = readyNanos;
        if (!sawBytes) {
            sawBytes = true;
            // A TLS client starts with a handshake record; only used to count what else arrives (the engine
            // rejects it).
            notTls = !config.isClient() && netIn.get(0) != HANDSHAKE_RECORD;
        }
        pump();
    }

    /** Never asked for: this layer reads ciphertext into its own buffer (a partial record must stay there). */
    @Override
    public ByteBuffer receiveBuffer() {
        return netIn;
    }

    @Override
    public void inputClosed() {
        downReadPending = false;
        netIn.flip();
        inputEnded = true;
        pump();
    }

    @Override
    public void sendCompleted(long bytes) {
        downSendPending = false;
        if (netOut != null) {
            netOut.clear(); // sent: ready to be refilled (or released when nothing follows)
        }
        pump();
    }

    @Override
    public void failed(Throwable cause) {
        // Only the read is over: on windows a send may still be in the kernel's hands (nio drops its own send), so
        // netOut stays untouched until sendCompleted or closed.
        downReadPending = false;
        if (upOpened) {
            if (!dead) {
                dead = true;
                up.failed(cause);
            }
            return;
        }
        handshakeFailed(cause);
    }

    @Override
    public void closed() {
        if (downClosed) {
            return;
        }
        downClosed = true;
        dead = true;
        cancelHandshakeTimer();
        leaveHandshake();
        closeFile();
        memory.release(netIn);
        memory.release(netOut);
        memory.release(appIn);
        memory.release(fileChunk);
        netIn = netOut = appIn = fileChunk = null;
        upRead = null;
        upWants = false;
        srcs = null;
        if (upOpened) {
            up.closed();
        } else if (config.isClient()) {
            up.connectFailed(failure != null ? failure
                    : new SSLException("connection closed before the TLS handshake completed"));
        }
    }

    // =================================================================== the connection's calls (Channel)

    @Override
    public long id() {
        return down.id();
    }

    @Override
    public InetSocketAddress localAddress() {
        return down.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return down.remoteAddress();
    }

    @Override
    public TlsInfo tls() {
        return info;
    }

    @Override
    public void read(ByteBuffer buffer) {
        upRead = buffer; // null: a lean read, the buffer is asked for when plaintext is there
        upWants = true;
        kick();
    }

    @Override
    public void send(ByteBuffer[] buffers, int offset, int count) {
        long total = 0;
        for (int i = offset; i < offset + count; i++) {
            total += buffers[i].remaining();
        }
        srcs = buffers;
        srcOff = offset;
        srcEnd = offset + count;
        startSend(total);
    }

    @Override
    public void sendFile(ByteBuffer head, Path path, long offset, long length, ByteBuffer tail) {
        long total = length + (head == null ? 0 : head.remaining()) + (tail == null ? 0 : tail.remaining());
        fileSrc[0] = head == null ? EMPTY : head;
        srcs = fileSrc;
        srcOff = 0;
        srcEnd = 1;
        fileTail = tail;
        filePos = offset;
        fileLeft = length;
        try {
            file = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException | RuntimeException e) {
            upFailure = e;
        }
        startSend(total);
    }

    private void startSend(long plaintextBytes) {
        upSending = true;
        upSendDone = false;
        upSendBytes = plaintextBytes;
        kick();
    }

    @Override
    public void shutdownOutput() {
        if (outputEnd == OutputEnd.NONE) {
            outputEnd = OutputEnd.SHUTDOWN;
        }
        kick();
    }

    @Override
    public void close(boolean abortive) {
        if (abortive) {
            closeDown(true);
            return;
        }
        outputEnd = OutputEnd.CLOSE;
        if (outputEndIssued) {
            closeDown(false); // output already shut down: only the socket is left to close
            return;
        }
        kick();
    }

    @Override
    public void execute(Runnable task) {
        down.execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        return down.schedule(task, delayNanos);
    }

    @Override
    public void options(ProtocolOptions options) {
        down.options(options);
    }

    // =================================================================== driving the engine

    /**
     * Work asked for by one of the connection's calls: what needs no callback of the connection is done now
     * (encrypting and sending, reading); a delivery to the connection is left to a task.
     */
    private void kick() {
        if (inPump || dead || closeIssued) {
            return; // the running pump picks the request up when the connection's callback returns
        }
        try {
            writeMore();
            if (upWants && !deliverable()) {
                downRead();
            }
        } catch (Throwable e) { // also no direct memory left: fail this connection, nothing escapes to the backend
            upFailure = e;
        }
        if (upSendDone || upFailure != null || (upWants && deliverable())) {
            later();
        }
    }

    private boolean deliverable() {
        return (appIn != null && appIn.hasRemaining()) || (!downReadPending && netIn.hasRemaining()) || inboundDone
                || (inputEnded && !downReadPending);
    }

    private void later() {
        if (!pumpScheduled) {
            pumpScheduled = true;
            down.execute(pumpTask);
        }
    }

    private void pumpTask() {
        pumpScheduled = false;
        pump();
    }

    /** Advances everything: the handshake, output, deliveries to the connection. Only from events and tasks. */
    private void pump() {
        if (dead || downClosed) {
            return;
        }
        inPump = true;
        try {
            if (!handshakeDone) {
                handshake();
                if (!handshakeDone) {
                    return;
                }
                handshakeCompleted();
                releaseAppInIfEmpty(); // the handshake's scratch: an idle connection keeps only netIn
                up.opened(this);
            }
            while (!dead && !closeIssued) {
                writeMore();
                if (upFailure != null) {
                    Throwable f = upFailure;
                    upFailure = null;
                    dead = true;
                    up.failed(f);
                    return;
                }
                if (upSendDone) {
                    upSendDone = false;
                    upSending = false;
                    up.sendCompleted(upSendBytes);
                    continue;
                }
                if (upWants && deliver()) {
                    continue;
                }
                if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                    writeMore(); // what a read made due: a TLS 1.3 key update's answer
                }
                break;
            }
        } catch (Throwable e) { // also no direct memory left: a task's pump has nobody else to fail the connection
            if (!upOpened) {
                handshakeFailed(e);
            } else if (!dead) {
                if (isRecordTooLarge(e)) {
                    stats.count(TlsStats.Counter.RECORD_TOO_LARGE);
                }
                if (LOG.isDebugEnabled()) {
                    LOG.debug("connection {}: TLS failed: {}", down.id(), e.toString());
                }
                dead = true;
                up.failed(e);
            }
        } finally {
            inPump = false;
        }
    }

    private void handshake() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    writeMore();
                    if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                        return; // waiting for the send buffer
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrapHandshake()) {
                        return; // waiting for bytes
                    }
                }
                default -> {
                    handshakeDone = true;
                    return;
                }
            }
        }
    }

    private boolean unwrapHandshake() throws IOException {
        if (downReadPending) {
            return false; // the buffer belongs to the read until it completes
        }
        if (!netIn.hasRemaining() && engine.getHandshakeStatus() != HandshakeStatus.NEED_UNWRAP_AGAIN) {
            needInput();
            return false;
        }
        SSLEngineResult r = unwrapInto(appIn());
        switch (r.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                needInput();
                return false;
            }
            case CLOSED -> throw new SSLException("the peer closed TLS during the handshake");
            default -> {
                return true;
            }
        }
    }

    private void needInput() throws IOException {
        if (inputEnded) {
            throw new EOFException("the peer closed the connection during the TLS handshake");
        }
        downRead();
    }

    private void handshakeCompleted() {
        cancelHandshakeTimer();
        leaveHandshake();
        SSLSession s = engine.getSession();
        appSize = Math.max(appSize, roundUp(s.getApplicationBufferSize()));
        String alpn = engine.getApplicationProtocol();
        info = new TlsInfo(s.getProtocol(), s.getCipherSuite(), alpn == null ? "" : alpn, serverName(s));
        stats.handshakeCompleted(info);
        upOpened = true;
        if (LOG.isDebugEnabled()) {
            LOG.debug("connection {}: TLS handshake done: {}", down.id(), info);
        }
    }

    private String serverName(SSLSession s) {
        if (config.isClient()) {
            List<SNIServerName> names = engine.getSSLParameters().getServerNames();
            for (SNIServerName n : names == null ? List.<SNIServerName>of() : names) {
                if (n instanceof SNIHostName h) {
                    return h.getAsciiName();
                }
            }
        } else if (s instanceof ExtendedSSLSession es) {
            for (SNIServerName n : es.getRequestedServerNames()) {
                if (n instanceof SNIHostName h) {
                    return h.getAsciiName();
                }
            }
        }
        return "";
    }

    /**
     * Hands the connection's read what there is: leftover plaintext, else records decrypted from the ciphertext
     * read so far, else the end of input; issues a backend read when a record is incomplete.
     *
     * @return true when the connection was called
     */
    private boolean deliver() throws IOException {
        ByteBuffer dst = upRead;
        int start = dst == null ? 0 : dst.position();
        while (true) {
            if (appIn != null && appIn.hasRemaining()) {
                if (dst == null) {
                    dst = upRead = leanBuffer();
                    start = dst.position();
                }
                int n = Math.min(appIn.remaining(), dst.remaining());
                int lim = appIn.limit();
                appIn.limit(appIn.position() + n);
                dst.put(appIn);
                appIn.limit(lim);
                releaseAppInIfEmpty();
                if (!dst.hasRemaining()) {
                    break;
                }
                continue;
            }
            if (inboundDone) {
                break;
            }
            if (downReadPending || !netIn.hasRemaining()) {
                if (inputEnded) {
                    endOfInput();
                    continue;
                }
                break;
            }
            boolean direct = dst != null && dst.remaining() >= appSize;
            SSLEngineResult r = unwrapInto(direct ? dst : appIn());
            checkPostHandshake(r);
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                inboundDone = true; // close_notify: the end of the peer's data
                continue;
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                if (inputEnded) {
                    endOfInput(); // a FIN in the middle of a record: nothing more will come
                    continue;
                }
                break;
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                throw new SSLException("TLS record larger than the " + appSize + "-byte plaintext buffer");
            }
        }
        int n = dst == null ? 0 : dst.position() - start;
        if (n > 0) {
            upRead = null;
            upWants = false;
            up.received(n, readyNanos);
            return true;
        }
        if (inboundDone) {
            upRead = null;
            upWants = false;
            up.inputClosed();
            return true;
        }
        downRead();
        return false;
    }

    /** The connection's buffer for a lean read, asked for once there is plaintext to put in it. */
    private ByteBuffer leanBuffer() throws IOException {
        ByteBuffer b = up.receiveBuffer();
        if (b == null) {
            throw new IOException("no direct memory for the connection's receive buffer");
        }
        return b;
    }

    /** The peer's FIN after the handshake: the end of its data even without close_notify (common in practice). */
    private void endOfInput() {
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("connection {}: FIN without close_notify: {}", down.id(), e.getMessage());
            }
        }
        inboundDone = true;
    }

    /** After the handshake: refuses renegotiation (TLS 1.2); lets TLS 1.3 key updates and tickets through. */
    private void checkPostHandshake(SSLEngineResult r) throws SSLException {
        HandshakeStatus hs = r.getHandshakeStatus();
        if (hs == HandshakeStatus.NOT_HANDSHAKING || hs == HandshakeStatus.FINISHED
                || r.getStatus() == SSLEngineResult.Status.CLOSED) {
            return; // a close_notify (TLS 1.2 answers it with its own, a wrap) is no renegotiation
        }
        if (!"TLSv1.3".equals(info.protocol())) {
            stats.count(TlsStats.Counter.RENEGOTIATION_REFUSED);
            throw new SSLException("TLS renegotiation refused");
        }
        if (hs == HandshakeStatus.NEED_TASK) {
            runTasks();
        }
    }

    private SSLEngineResult unwrapInto(ByteBuffer dst) throws SSLException {
        if (dst == appIn) {
            appIn.compact();
            try {
                return engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
            }
        }
        return engine.unwrap(netIn, dst);
    }

    private ByteBuffer appIn() {
        if (appIn == null) {
            appIn = memory.acquire(appSize);
            appIn.limit(0);
        }
        return appIn;
    }

    private void releaseAppInIfEmpty() {
        if (appIn != null && !appIn.hasRemaining()) {
            memory.release(appIn);
            appIn = null;
        }
    }

    private void downRead() throws SSLException {
        if (downReadPending || inputEnded || closeIssued || downClosed) {
            return;
        }
        releaseAppInIfEmpty(); // waiting for bytes: no plaintext buffer held meanwhile
        netIn.compact();
        if (!netIn.hasRemaining()) {
            netIn.flip();
            throw new RecordTooLargeException(netIn.capacity());
        }
        downReadPending = true;
        down.read(netIn);
    }

    /**
     * Encrypts what is due (the engine's own messages, then the connection's plaintext, then close_notify once a
     * close or half-close was asked for) into the send buffer and sends it; when nothing is left, completes the
     * connection's send and carries out the asked-for close.
     */
    private void writeMore() throws IOException {
        if (downSendPending || closeIssued || downClosed) {
            return;
        }
        if (outputEnd != OutputEnd.NONE && !upSending && !outboundClosed) {
            outboundClosed = true;
            engine.closeOutbound();
        }
        ByteBuffer dst = netOut;
        while (true) {
            boolean engineWants = engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP;
            boolean data = upSending && !upSendDone && nextSource();
            if (!engineWants && !data) {
                break;
            }
            if (dst == null) {
                dst = netOut = memory.acquire(netSize * 2);
            }
            if (dst.remaining() < netSize) {
                break;
            }
            SSLEngineResult r = data ? engine.wrap(srcs, srcOff, srcEnd - srcOff, dst) : engine.wrap(EMPTY, dst);
            if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED && data && r.bytesConsumed() == 0) {
                throw new SSLException("TLS output is closed; " + upSendBytes + " bytes cannot be sent");
            }
            if (r.bytesProduced() == 0 && r.bytesConsumed() == 0
                    && engine.getHandshakeStatus() != HandshakeStatus.NEED_TASK) {
                break; // no progress: the engine waits for input
            }
        }
        if (dst != null && dst.position() > 0) {
            dst.flip();
            downSendPending = true;
            sendArr[0] = dst;
            down.send(sendArr, 0, 1);
            return;
        }
        memory.release(netOut);
        netOut = null;
        if (upSending && !upSendDone && !nextSource()) {
            upSendDone = true;
            closeFile();
        }
        if (outboundClosed && !outputEndIssued && !upSending) {
            outputEndIssued = true;
            if (outputEnd == OutputEnd.CLOSE) {
                closeDown(false);
            } else {
                down.shutdownOutput();
            }
        }
    }

    /** Makes srcs[srcOff] a buffer with plaintext left, reading the next file chunk when due; false when done. */
    private boolean nextSource() throws IOException {
        while (true) {
            while (srcOff < srcEnd && !srcs[srcOff].hasRemaining()) {
                srcOff++;
            }
            if (srcOff < srcEnd) {
                return true;
            }
            if (file == null) {
                return false;
            }
            if (fileLeft > 0) {
                readChunk();
            } else if (fileTail != null) {
                fileSrc[0] = fileTail;
                fileTail = null;
            } else {
                closeFile();
                return false;
            }
            srcs = fileSrc;
            srcOff = 0;
            srcEnd = 1;
        }
    }

    private void readChunk() throws IOException {
        if (fileChunk == null) {
            fileChunk = memory.acquire(FILE_CHUNK);
        }
        fileChunk.clear();
        fileChunk.limit((int) Math.min(fileChunk.capacity(), fileLeft));
        int n = file.read(fileChunk, filePos);
        if (n < 0) {
            throw new EOFException("file ended " + fileLeft + " bytes before the requested length");
        }
        filePos += n;
        fileLeft -= n;
        fileChunk.flip();
        fileSrc[0] = fileChunk;
    }

    private void closeFile() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                LOG.debug("closing a sent file failed", e);
            }
            file = null;
        }
        fileTail = null;
        if (fileChunk != null) {
            memory.release(fileChunk);
            fileChunk = null;
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    // =================================================================== failures and close

    private void handshakeTimedOut() {
        handshakeTimer = null;
        if (handshakeDone || downClosed) {
            return;
        }
        if (dead) {
            // A failed handshake whose graceful close (its alert) has not finished: a peer that does not read
            // must not hold the connection longer than the handshake timeout.
            closeDown(true);
            return;
        }
        stats.count(TlsStats.Counter.TIMED_OUT);
        leaveHandshake();
        failure = new SSLException("TLS handshake not completed within " + config.handshakeTimeout());
        if (LOG.isDebugEnabled()) {
            LOG.debug("connection {}: {}", down.id(), failure.getMessage());
        }
        dead = true;
        closeDown(true);
    }

    /** The handshake failed: counts why, sends the engine's alert if it has one, closes the socket. */
    private void handshakeFailed(Throwable cause) {
        if (dead || downClosed) {
            return;
        }
        dead = true;
        failure = cause;
        leaveHandshake();
        // The handshake timer stays armed: it bounds the graceful close below (see handshakeTimedOut).
        stats.count(TlsStats.Counter.FAILED);
        String msg = String.valueOf(cause.getMessage());
        if (notTls) {
            stats.count(TlsStats.Counter.NOT_TLS);
        } else if (cause instanceof EOFException) {
            stats.count(TlsStats.Counter.TRUNCATED);
        } else if (msg.startsWith("Received fatal alert")) {
            stats.count(TlsStats.Counter.ALERT_RECEIVED);
        } else if (isRecordTooLarge(cause)) {
            stats.count(TlsStats.Counter.RECORD_TOO_LARGE);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("connection {}: TLS handshake failed: {}", down == null ? -1 : down.id(), cause.toString());
        }
        if (down == null) {
            return;
        }
        sendAlert();
        closeDown(false);
    }

    /**
     * A record over the size limit: ours (the receive buffer holds the largest record the engine accepts), or the
     * engine's own refusal, which it reports only by its message ("Input record too big").
     */
    private static boolean isRecordTooLarge(Throwable t) {
        return t instanceof RecordTooLargeException
                || t instanceof SSLProtocolException && String.valueOf(t.getMessage()).contains("record too big");
    }

    private void sendAlert() {
        if (downSendPending || engine == null) {
            return;
        }
        try {
            engine.closeOutbound();
            ByteBuffer dst = netOut != null ? netOut : (netOut = memory.acquire(netSize * 2));
            dst.clear();
            engine.wrap(EMPTY, dst);
            if (dst.position() > 0) {
                dst.flip();
                downSendPending = true;
                sendArr[0] = dst;
                down.send(sendArr, 0, 1);
            }
        } catch (Throwable e) { // also no direct memory for the alert: the close below still happens
            LOG.trace("no TLS alert to send", e);
        }
    }

    private void closeDown(boolean abortive) {
        if (downClosed || down == null || closeIssued && !abortive) {
            return;
        }
        closeIssued = true;
        if (abortive || !dead || handshakeDone) {
            cancelHandshakeTimer(); // else it bounds a failed handshake's graceful close
        }
        down.close(abortive); // an abort after a graceful close upgrades it (both backends)
    }

    /** This connection no longer counts against {@link TlsConfig#maxHandshakes()}. Idempotent. */
    private void leaveHandshake() {
        if (inHandshake) {
            inHandshake = false;
            stats.inHandshake.decrementAndGet();
        }
    }

    private void cancelHandshakeTimer() {
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
            handshakeTimer = null;
        }
    }

    private static int roundUp(int size) {
        return (size + 4095) & ~4095;
    }

    @Override
    public String toString() {
        return "TlsLayer[" + (down == null ? "unopened" : down.id()) + ", " + (info == null ? "handshaking" : info)
                + "]";
    }
}
