package io.pxj.win32;

/**
 * The kinds of thread-pool object that share the callback-wait and close calls: Win32 has one
 * WaitForThreadpoolXxxCallbacks and one CloseThreadpoolXxx per kind, with the same arguments and rules, so
 * {@link TpCalls} takes the kind instead of declaring each call four times. Immutable.
 */
enum TpObject {
    WORK("Work"),
    IO("Io"),
    TIMER("Timer"),
    WAIT("Wait");

    /** The Win32 name of the kind's WaitForThreadpool*Callbacks, for error messages and the Wine bridge. */
    final String waitFunction;
    /** The Win32 name of the kind's CloseThreadpool*. */
    final String closeFunction;

    TpObject(String win32Name) {
        this.waitFunction = "WaitForThreadpool" + win32Name + "Callbacks";
        this.closeFunction = "CloseThreadpool" + win32Name;
    }
}
