package io.pxj.runtime.spi.support;

/**
 * The preconditions every {@link io.pxj.runtime.spi.Channel} checks the same way: the core keeps at most one read
 * and one send outstanding per channel, so a second one is a bug in the core, reported with the channel's id.
 * Static methods with primitive arguments, so the checks cost nothing on the hot path.
 *
 * <p>Threading: stateless, thread-safe.
 */
public final class ChannelChecks {
    private ChannelChecks() {}

    /** Throws if a read is already outstanding on the channel. */
    public static void noReadOutstanding(long channelId, boolean outstanding) {
        if (outstanding) {
            throw new IllegalStateException("channel " + channelId + ": a read is already outstanding");
        }
    }

    /** Throws if a send (buffers or a file) is already outstanding on the channel. */
    public static void noSendOutstanding(long channelId, boolean outstanding) {
        if (outstanding) {
            throw new IllegalStateException("channel " + channelId + ": a send is already outstanding");
        }
    }
}
