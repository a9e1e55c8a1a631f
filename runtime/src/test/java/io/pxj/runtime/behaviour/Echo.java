package io.pxj.runtime.behaviour;

import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.ProtocolOptions;
import io.pxj.runtime.Transport;
import java.nio.ByteBuffer;

/** Zero-copy echo (returns the received buffer) that records its lifecycle. */
public class Echo extends RecordingProtocol {
    private final ProtocolOptions options;

    public Echo() {
        this(ProtocolOptions.DEFAULT);
    }

    public Echo(ProtocolOptions options) {
        this.options = options;
    }

    @Override
    public ProtocolOptions options() {
        return options;
    }

    @Override
    public Object dataReceived(ParallelContext ctx, Transport transport, ByteBuffer data) throws Exception {
        return data;
    }
}
