package io.pxj.win32.raw;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;

/**
 * A Win32 GUID value. In memory Data1/Data2/Data3 are little-endian and Data4 is 8 bytes as written, so the
 * 16 bytes are NOT the big-endian reading of the string form (the classic mistake when building the
 * WSAIoctl input by hand).
 *
 * <p>Immutable and thread-safe.
 */
public final class Guid {
    private final byte[] bytes; // in-memory GUID layout

    private Guid(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Parses {@code xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}. */
    public static Guid parse(String s) {
        String[] p = s.split("-", -1);
        if (p.length != 5 || p[0].length() != 8 || p[1].length() != 4 || p[2].length() != 4 || p[3].length() != 4
                || p[4].length() != 12) {
            throw new IllegalArgumentException("not a GUID: " + s);
        }
        ByteBuffer b = ByteBuffer.allocate(Structs.GUID.SIZEOF).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(Structs.GUID.Data1, (int) Long.parseLong(p[0], 16));
        b.putShort(Structs.GUID.Data2, (short) Integer.parseInt(p[1], 16));
        b.putShort(Structs.GUID.Data3, (short) Integer.parseInt(p[2], 16));
        String tail = p[3] + p[4];
        for (int i = 0; i < 8; i++) {
            b.put(Structs.GUID.Data4 + i, (byte) Integer.parseInt(tail.substring(2 * i, 2 * i + 2), 16));
        }
        return new Guid(b.array());
    }

    /** The 16 bytes as laid out in memory (a copy). */
    public byte[] toBytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        StringBuilder sb = new StringBuilder(36);
        sb.append(String.format(Locale.ROOT, "%08x-%04x-%04x-", b.getInt(0), b.getShort(4) & 0xFFFF,
                b.getShort(6) & 0xFFFF));
        for (int i = 8; i < 16; i++) {
            if (i == 10) {
                sb.append('-');
            }
            sb.append(String.format(Locale.ROOT, "%02x", bytes[i] & 0xFF));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Guid && Arrays.equals(bytes, ((Guid) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
