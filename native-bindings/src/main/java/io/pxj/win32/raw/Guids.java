package io.pxj.win32.raw;

/** The extension-function GUIDs (mswsock.h / mswsockdef.h), named as in the headers. Pure constants. */
public final class Guids {
    private Guids() {
    }

    public static final Guid WSAID_ACCEPTEX = Guid.parse("b5367df1-cbac-11cf-95ca-00805f48a192");
    public static final Guid WSAID_GETACCEPTEXSOCKADDRS = Guid.parse("b5367df2-cbac-11cf-95ca-00805f48a192");
    public static final Guid WSAID_TRANSMITFILE = Guid.parse("b5367df0-cbac-11cf-95ca-00805f48a192");
    public static final Guid WSAID_CONNECTEX = Guid.parse("25a207b9-ddf3-4660-8ee9-76e58c74063e");
    public static final Guid WSAID_DISCONNECTEX = Guid.parse("7fda2e11-8630-436f-a031-f536a6eec157");
    /** The headers' value; some public samples carry a wrong one. */
    public static final Guid WSAID_MULTIPLE_RIO = Guid.parse("8509e081-96dd-4005-b165-9e2ee8c79e3f");
}
