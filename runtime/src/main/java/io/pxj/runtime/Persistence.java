package io.pxj.runtime;

import java.nio.ByteBuffer;
import java.util.function.Predicate;

/**
 * The "don't persist parallel objects" check applied to everything stored into shared containers.
 * Arena-backed objects are recognised by the {@link ArenaBacked} marker; direct ByteBuffers that view arena or
 * receive-buffer memory are recognised by the runtime's address registry, installed with
 * {@link #installDirectBufferCheck}.
 */
final class Persistence {
    private static volatile Predicate<ByteBuffer> arenaMemory = b -> false;

    private Persistence() {}

    static void installDirectBufferCheck(Predicate<ByteBuffer> isArenaMemory) {
        arenaMemory = isArenaMemory;
    }

    static void check(Object value, String where) {
        if (value == null) { return; }
        if (value instanceof ArenaBacked a) {
            throw new PersistenceException(where + ": " + value.getClass().getSimpleName() + " of context generation "
                    + a.generation() + " is arena-backed (parallel) memory that dies with its callback."
                    + " Don't persist parallel objects: copy it out first, e.g. buffer.toByteArray() or"
                    + " buffer.toString(UTF_8).");
        }
        if (value instanceof ByteBuffer b && b.isDirect() && arenaMemory.test(b)) {
            throw new PersistenceException(where + ": this direct ByteBuffer views a parallel context's arena or"
                    + " receive buffer, which is reused after the callback. Don't persist parallel objects: copy"
                    + " the bytes into a new byte[] or heap ByteBuffer first.");
        }
    }
}
