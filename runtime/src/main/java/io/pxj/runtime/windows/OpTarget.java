package io.pxj.runtime.windows;

/**
 * Receives the result of an {@link IoOp}: a connection, a listener or the socket recycler.
 *
 * <p>Threading: called on the pool thread that saw the completion (or inline on the issuing thread for a
 * synchronous outcome); implementations hand the op over to their own serialisation and must not throw.
 */
interface OpTarget {
    void opCompleted(IoOp op);
}
