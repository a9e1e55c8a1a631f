package io.pxj.runtime;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;

/**
 * The complete lines delivered by one read in lines mode, without their terminators ({@code \n} or
 * {@code \r\n}). Views are valid only during the callback.
 *
 * <p>Threading: confined to the callback it is passed to.
 */
public interface Lines {
    /** Number of lines. */
    int count();

    /** A read-only view of line {@code i}'s bytes. */
    ByteBuffer line(int i);

    /** Line {@code i} decoded (a copy: safe to keep). */
    String lineString(int i, Charset charset);
}
