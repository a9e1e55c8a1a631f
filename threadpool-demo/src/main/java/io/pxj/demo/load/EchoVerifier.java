package io.pxj.demo.load;

import java.nio.ByteBuffer;

/**
 * Echo load: what to send and whether what came back is right. The client's byte stream is an endless pattern
 * ({@link #patternAt(long)}, period {@value #PERIOD}, printable ASCII) cut into messages of {@code size} bytes;
 * the verifier checks every byte that comes back against the pattern at its stream position, so a lost,
 * duplicated, reordered or altered byte is detected, and counts completed messages.
 *
 * <p>Pure; not thread-safe: one per connection. The send side is allocation-free: {@link #message(long)} returns
 * a view of a shared read-only pattern array.
 */
public final class EchoVerifier {
    /** The pattern's period (prime, so message boundaries drift across it). */
    public static final int PERIOD = 89;

    private final int size;
    private final byte[] pattern; // size + PERIOD bytes: any message is a slice
    private long received;

    public EchoVerifier(int size) {
        if (size < 1) { throw new IllegalArgumentException("size must be >= 1: " + size); }
        this.size = size;
        this.pattern = new byte[size + PERIOD];
        for (int i = 0; i < pattern.length; i++) { pattern[i] = patternAt(i); }
    }

    /** The byte at stream position {@code pos}. */
    public static byte patternAt(long pos) {
        return (byte) ('!' + (int) (pos % PERIOD)); // '!' .. 'y'
    }

    /** Message size in bytes. */
    public int size() {
        return size;
    }

    /** Message number {@code n} (0, 1, ...): a read-only view, valid as long as this verifier. */
    public ByteBuffer message(long n) {
        return ByteBuffer.wrap(pattern, (int) ((n * size) % PERIOD), size).slice().asReadOnlyBuffer();
    }

    /** {@code count} consecutive messages starting at number {@code first}, as one buffer. */
    public ByteBuffer messages(long first, int count) {
        if (count == 1) { return message(first); }
        ByteBuffer b = ByteBuffer.allocate(count * size);
        for (int i = 0; i < count; i++) { b.put(message(first + i)); }
        return b.flip();
    }

    /** Bytes verified so far. */
    public long received() {
        return received;
    }

    /**
     * Checks the echoed bytes.
     *
     * @return the number of messages completed by these bytes
     * @throws EchoMismatchException at the first wrong byte
     */
    public int feed(ByteBuffer data) throws EchoMismatchException {
        long before = received / size;
        while (data.hasRemaining()) {
            byte b = data.get();
            byte expected = patternAt(received);
            if (b != expected) {
                throw new EchoMismatchException("echo mismatch at stream byte " + received + " (message "
                        + received / size
                        + ", offset " + received % size + "): expected 0x" + Integer.toHexString(expected & 0xFF)
                        + ", got 0x" + Integer.toHexString(b & 0xFF));
            }
            received++;
        }
        return (int) (received / size - before);
    }

    /** The echoed bytes differ from what was sent. */
    public static final class EchoMismatchException extends Exception {
        private static final long serialVersionUID = 1L;

        EchoMismatchException(String message) {
            super(message);
        }
    }
}
