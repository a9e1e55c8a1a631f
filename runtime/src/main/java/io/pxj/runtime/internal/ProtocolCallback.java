package io.pxj.runtime.internal;

/**
 * The {@link io.pxj.runtime.Protocol} callbacks a {@link Connection} runs for its events, each with the method
 * name its failures are reported under. Threading: immutable.
 */
enum ProtocolCallback {
    CONNECTION_MADE("connectionMade"),
    INITIAL_BYTES("initialBytesToSend"),
    DATA_RECEIVED("dataReceived"),
    LINES_RECEIVED("linesReceived"),
    SEND_COMPLETE("sendComplete"),
    INPUT_SHUTDOWN("inputShutdown"),
    CONNECTION_CLOSED("connectionClosed");

    /** The Protocol method, as exceptionCaught and the error report name it. */
    final String method;

    ProtocolCallback(String method) {
        this.method = method;
    }
}
